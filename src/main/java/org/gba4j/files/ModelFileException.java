package org.gba4j.files;

import java.nio.file.Path;

/**
 * A model or data file that cannot be used. The message is one line that names the input, says
 * what is wrong with it and what to do; the CLI prints it as is, without a stack trace.
 */
public class ModelFileException extends RuntimeException {

    public ModelFileException(String input, String problem, String remedy) {
        super(input + ": " + problem + (remedy == null || remedy.isBlank() ? "" : ". " + remedy));
    }

    public ModelFileException(Path input, String problem, String remedy) {
        this(String.valueOf(input), problem, remedy);
    }

    public ModelFileException(String input, String problem, String remedy, Throwable cause) {
        super(input + ": " + problem + (remedy == null || remedy.isBlank() ? "" : ". " + remedy), cause);
    }
}
