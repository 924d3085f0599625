package org.gba4j.experiment;

import java.util.List;
import java.util.Map;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * The paper's own numbers (percent), to print beside ours. Columns in Table 1 order: Yelp, MR,
 * HS, AG News, Fakeddit; each pair is ASR, ACC. Copied from the paper's Tables 2, 3, 4 and 12.
 */
public final class PaperNumbers {
    private PaperNumbers() {
    }

    /** Table 2, by defense then attack (badnets, neuba, ripple, ep). */
    public static final Map<String, Map<String, double[]>> TABLE2 = Map.of(
            Defenses.NONE, Map.of(
                    Attacks.BADNETS, new double[] {100.00, 95.70, 100.00, 93.49, 100.00, 86.52, 100.00, 95.37, 100.00, 90.06},
                    Attacks.NEUBA, new double[] {72.21, 94.60, 99.37, 90.57, 87.99, 95.53, 7.26, 93.43, 76.07, 86.73},
                    Attacks.RIPPLE, new double[] {100.00, 95.70, 100.00, 88.90, 100.00, 95.92, 100.00, 91.93, 100.00, 82.46},
                    Attacks.EP, new double[] {100.00, 98.53, 99.84, 97.82, 100.00, 99.20, 86.28, 95.67, 99.95, 94.52}),
            Defenses.CLEAN_FT, Map.of(
                    Attacks.BADNETS, new double[] {100.00, 95.20, 100.00, 93.35, 100.00, 86.01, 100.00, 95.79, 100.00, 90.57},
                    Attacks.NEUBA, new double[] {54.92, 95.87, 99.23, 91.20, 72.87, 95.60, 4.57, 93.20, 75.22, 86.14},
                    Attacks.RIPPLE, new double[] {100.00, 96.00, 100.00, 89.81, 100.00, 95.86, 18.18, 93.60, 18.50, 86.81},
                    Attacks.EP, new double[] {95.03, 98.10, 98.97, 94.26, 98.53, 97.98, 16.64, 94.96, 87.09, 89.99}),
            Defenses.NAD, Map.of(
                    Attacks.BADNETS, new double[] {99.74, 95.40, 100.00, 90.17, 99.99, 95.88, 99.34, 93.56, 99.65, 86.10},
                    Attacks.NEUBA, new double[] {70.21, 96.23, 95.63, 90.61, 86.78, 95.99, 4.53, 93.32, 72.42, 85.73},
                    Attacks.RIPPLE, new double[] {100.00, 96.00, 100.00, 89.66, 100.00, 95.88, 99.89, 93.58, 99.78, 84.79},
                    Attacks.EP, new double[] {97.79, 94.68, 99.58, 94.69, 99.63, 97.68, 99.59, 93.72, 99.01, 90.88}),
            Defenses.NAD_C, Map.of(
                    Attacks.BADNETS, new double[] {2.04, 95.00, 1.57, 90.37, 0.88, 95.70, 0.88, 93.58, 37.52, 86.54},
                    Attacks.NEUBA, new double[] {1.04, 95.03, 1.19, 90.21, 0.39, 94.90, 0.39, 93.70, 16.65, 86.29},
                    Attacks.RIPPLE, new double[] {3.31, 96.00, 7.99, 89.66, 2.50, 95.88, 2.50, 93.66, 31.43, 86.51},
                    Attacks.EP, new double[] {0.95, 94.57, 1.05, 91.13, 0.26, 95.49, 0.26, 93.94, 12.41, 87.69}),
            Defenses.GBA, Map.of(
                    Attacks.BADNETS, new double[] {3.76, 93.30, 2.67, 89.70, 1.07, 92.95, 2.77, 92.17, 17.63, 86.19},
                    Attacks.NEUBA, new double[] {0.28, 95.37, 0.17, 89.74, 0.22, 95.44, 0.15, 93.61, 0.31, 85.84},
                    Attacks.RIPPLE, new double[] {6.76, 94.57, 7.39, 89.14, 8.51, 95.81, 0.47, 92.97, 2.93, 85.45},
                    Attacks.EP, new double[] {0.67, 96.70, 0.78, 90.37, 3.78, 96.49, 1.73, 94.08, 10.18, 87.23}));

    /** Table 12 (BadNets), by setting; Defenses.GBA is PT+soft+GB. */
    public static final Map<String, double[]> TABLE12 = Map.of(
            Defenses.NONE, TABLE2.get(Defenses.NONE).get(Attacks.BADNETS),
            Defenses.PT, new double[] {75.63, 95.60, 80.12, 93.12, 94.32, 90.23, 66.74, 95.26, 78.22, 88.24},
            Defenses.PT_SOFT, new double[] {59.18, 95.23, 45.87, 92.10, 58.77, 93.24, 50.43, 93.58, 44.39, 86.98},
            Defenses.GBA, TABLE2.get(Defenses.GBA).get(Attacks.BADNETS));

    /** Table 3: only width 2 survives in the paper's text (ASR, ACC); the other widths are unreadable. */
    public static final Map<Integer, double[]> TABLE3 = Map.of(2, new double[] {1.07, 92.95});

    /** Table 4: ACC after further adaptation from Fakeddit, by model then task (yelp, mr, hs, agnews). */
    public static final Map<String, double[]> TABLE4 = Map.of(
            Defenses.NONE, new double[] {99.02, 97.93, 99.3, 96.27},
            Defenses.GBA, new double[] {98.78, 98.02, 98.41, 96.17},
            Defenses.NAD_C, new double[] {90.25, 93.25, 94.18, 92.32});

    /**
     * Table 11 (GLUE, bert-base, BadNets), by defense; pairs per task in our column order CoLA
     * (ASRR, Matt.), SST-2 (ASR, ACC), MRPC (ASR, ACC), RTE (ASR, ACC), STS-B (ASRR, Pear.).
     * Correlations and ASRR are fractions as the paper prints them; ASR and ACC percent.
     */
    public static final Map<String, double[]> TABLE11 = Map.of(
            Defenses.NONE, new double[] {0.02, 0.54, 100.00, 91.17, 100.00, 78.92, 100.00, 65.70, 0.55, 0.89},
            Defenses.CLEAN_FT, new double[] {0.00, 0.57, 100.00, 91.17, 99.45, 77.21, 100.00, 63.18, 0.31, 0.86},
            Defenses.GBA, new double[] {0.01, 0.55, 4.17, 87.84, 5.68, 80.39, 1.37, 63.02, 0.01, 0.83});

    /** Table 10 (RoBERTa-base, BadNets), by defense; Table 1's column order. */
    public static final Map<String, double[]> TABLE10 = Map.of(
            Defenses.NONE, new double[] {100.00, 96.63, 100.00, 90.61, 100.00, 95.97, 100.00, 93.16, 100.00, 86.87},
            Defenses.CLEAN_FT, new double[] {100.00, 96.83, 100.00, 90.85, 100.00, 96.03, 100.00, 92.46, 100.00, 86.82},
            Defenses.NAD, new double[] {93.87, 97.33, 74.34, 90.65, 100.00, 95.73, 81.40, 93.98, 99.31, 86.89},
            Defenses.NAD_C, new double[] {6.88, 94.33, 1.90, 87.84, 4.95, 92.99, 0.64, 89.95, 10.95, 80.81},
            Defenses.GBA, new double[] {8.41, 93.97, 1.32, 90.66, 2.92, 93.41, 1.56, 90.35, 7.75, 80.91});

    /** The paper's value for a task column (Table 1's or GLUE's order), NaN for another task. */
    public static double at(double[] row, PaperDataset task, boolean acc) {
        int column = PaperDataset.TABLE1.contains(task) ? PaperDataset.TABLE1.indexOf(task)
                : PaperDataset.GLUE.indexOf(task);
        return row == null || column < 0 ? Double.NaN : row[2 * column + (acc ? 1 : 0)];
    }

    static final List<String> ATTACKS = List.of(Attacks.BADNETS, Attacks.NEUBA, Attacks.RIPPLE, Attacks.EP);
}
