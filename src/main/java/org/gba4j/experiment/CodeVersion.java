package org.gba4j.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The commit this build came from (written by the git-commit-id plugin), "-dirty" for uncommitted changes. */
public final class CodeVersion {
    private CodeVersion() {
    }

    public static String current() {
        Properties git = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("/gba4j-git.properties")) {
            if (in == null) {
                return "unknown (built outside git)";
            }
            git.load(in);
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        String commit = git.getProperty("git.commit.id.abbrev", "unknown");
        return "true".equals(git.getProperty("git.dirty")) ? commit + "-dirty" : commit;
    }
}
