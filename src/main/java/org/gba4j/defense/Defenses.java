package org.gba4j.defense;

import java.util.List;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.model.BertWeights;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;

/**
 * The registry of defenses: their names, and each defense's settings from a {@link Plan}. The
 * command line ({@code defend --method}) and the grids both build defenses here.
 */
public final class Defenses {
    public static final String NONE = "none";
    public static final String CLEAN_FT = "clean-ft";
    public static final String NAD = "nad";
    public static final String NAD_C = "nad-c";
    public static final String PT = "pt";
    public static final String PT_SOFT = "pt-soft";
    public static final String GBA = "gba";

    /** Every defense, No-Defense first (Table 2's columns, then Table 12's rows). */
    public static final List<String> NAMES = List.of(NONE, CLEAN_FT, NAD, NAD_C, PT, PT_SOFT, GBA);

    /**
     * What the caller decides: the head defenses' fine-tuning, NAD's beta, and the prompt settings
     * (whose mode must be the named defense's).
     */
    public record Plan(FineTuning fineTuning, double nadBeta, PromptConfig prompt) {
    }

    private Defenses() {
    }

    /** The defense {@code name} with {@code plan}'s settings. */
    public static Defense of(String name, Plan plan) {
        return switch (name) {
            case NONE -> new NoDefense(plan.fineTuning());
            case CLEAN_FT -> new CleanFineTuning(plan.fineTuning());
            case NAD, NAD_C -> new NadDefense(new Nad(plan.nadBeta(), plan.fineTuning()), name.equals(NAD_C));
            case PT, PT_SOFT, GBA -> {
                if (plan.prompt().mode() != mode(name)) {
                    throw new IllegalArgumentException(name + " needs prompt settings of mode " + mode(name) + ", got "
                            + plan.prompt().mode());
                }
                yield new PromptAdaptation(plan.prompt());
            }
            default -> throw new IllegalArgumentException("unknown defense '" + name + "'; choose " + String.join(", ", NAMES));
        };
    }

    /** Whether {@code name} adapts with a prompt (pt, pt-soft, gba) rather than a classification head. */
    public static boolean promptBased(String name) {
        return List.of(PT, PT_SOFT, GBA).contains(name);
    }

    /** The prompt mode of a prompt-based defense (Table 12's rows). */
    public static PromptMode mode(String name) {
        return switch (name) {
            case PT -> PromptMode.PT;
            case PT_SOFT -> PromptMode.PT_SOFT;
            case GBA -> PromptMode.GBA;
            default -> throw new IllegalArgumentException(name + " is not a prompt-based defense");
        };
    }

    /** No defense: the backdoored classifier as downloaded. */
    public record NoDefense(FineTuning fineTuning) implements Defense {
        @Override
        public String name() {
            return NONE;
        }

        @Override
        public TextClassifier defend(DefenseJob job) {
            return fineTuning.classifier(job.backdoored(), job.tokenizer(), job.classes());
        }

        @Override
        public String summary() {
            return "";
        }
    }

    /** Clean-FT: fine-tune the backdoored classifier on the clean data (kept as a stage: it is also NAD's teacher). */
    public record CleanFineTuning(FineTuning fineTuning) implements Defense {
        @Override
        public String name() {
            return CLEAN_FT;
        }

        @Override
        public TextClassifier defend(DefenseJob job) {
            return fineTuning.classifier(teacher(fineTuning, job), job.tokenizer(), job.classes());
        }

        @Override
        public String summary() {
            return fineTuning.toString();
        }
    }

    /** NAD (student: the backdoored model) or NAD-C (student: a clean pre-trained model), taught by Clean-FT's model. */
    public record NadDefense(Nad nad, boolean cleanStudent) implements Defense {
        @Override
        public String name() {
            return cleanStudent ? NAD_C : NAD;
        }

        @Override
        public TextClassifier defend(DefenseJob job) {
            if (cleanStudent && job.cleanModel() == null) {
                throw new IllegalArgumentException("NAD-C needs a clean pre-trained model");
            }
            BertWeights teacher = teacher(nad.fineTuning(), job);
            return nad.defend(cleanStudent ? job.cleanModel() : job.backdoored(), teacher, job.tokenizer(), job.clean(),
                    job.classes(), job.progress());
        }

        @Override
        public String summary() {
            return nad.toString();
        }
    }

    /** PT, PT+soft or GBA (Table 12): prompt-based adaptation of the encoder with the job's label words. */
    public record PromptAdaptation(PromptConfig config) implements Defense {
        @Override
        public String name() {
            return switch (config.mode()) {
                case PT -> PT;
                case PT_SOFT -> PT_SOFT;
                case GBA -> GBA;
            };
        }

        @Override
        public TextClassifier defend(DefenseJob job) {
            PromptClassifier classifier = new PromptClassifier(job.encoder(), job.tokenizer(),
                    LabelWords.of(job.labelWords(), job.tokenizer()), config);
            classifier.train(job.clean(), job.scanRows(), List.of(), job.progress());
            return classifier;
        }

        @Override
        public String summary() {
            return config.toString();
        }
    }

    /** Clean-FT of the backdoored classifier, kept as the stage "teacher". */
    private static BertWeights teacher(FineTuning fineTuning, DefenseJob job) {
        return job.stages().get("teacher", fineTuning.toString(), () -> fineTuning.run(job.backdoored(), job.tokenizer(),
                job.clean(), job.classes(), List.of(), job.progress()).model().weights());
    }
}
