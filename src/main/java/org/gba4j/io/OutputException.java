package org.gba4j.io;

/**
 * The environment refused an output (a read-only or full disk, a permission, a path that is a file):
 * not the user's input data, so the command exits with 3, not 2. The message says what was kept.
 */
public class OutputException extends RuntimeException {

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }

    public OutputException(String message) {
        super(message);
    }
}
