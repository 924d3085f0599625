package org.gba4j.cli;

import java.util.concurrent.Callable;
import org.gba4j.experiment.Experiment;
import org.gba4j.experiment.PaperExperiments;
import picocli.CommandLine.Command;

/** {@code list}: every table and figure the jar reproduces. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the paper's tables and figures this jar runs.")
final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (Experiment e : PaperExperiments.all()) {
            System.out.printf("%-8s %s%n", e.name(), e.description());
        }
        System.out.println("\nRun one with: java -jar experiments.jar NAME [--profile quick|medium|paper|smoke]"
                + " [--datasets ...] [--seed N | --seeds 42,43,44] (NAME --help lists every option)");
        return 0;
    }
}
