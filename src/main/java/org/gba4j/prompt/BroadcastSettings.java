package org.gba4j.prompt;

/**
 * The gradient broadcast of section 3.4, as configured.
 *
 * @param lambda       weight of Q in Eq. 3 (section 5.3: 0.5); 0 = no broadcast
 * @param form         where {@code lambda Q} enters the update ({@link BroadcastForm})
 * @param learningRate eta_b, the step size of the decoupled broadcast step (unused when coupled)
 * @param reading      which gradient rows Eq. 4 averages ({@link BroadcastReading})
 * @param ratioCap     optional cap on {@code p(w|x)/p(y|x)}; 0 = off (the paper's formula)
 */
public record BroadcastSettings(double lambda, BroadcastForm form, double learningRate, BroadcastReading reading,
                                double ratioCap) {

    /** No broadcast (PT, PT+soft). */
    public static final BroadcastSettings NONE = new BroadcastSettings(0, BroadcastForm.COUPLED, 0,
            BroadcastReading.MATRIX_ROWS, 0);

    public BroadcastSettings {
        if (lambda < 0 || ratioCap < 0 || learningRate < 0) {
            throw new IllegalArgumentException("lambda, the broadcast learning rate and the ratio cap must not be negative");
        }
        if (lambda > 0 && form == BroadcastForm.DECOUPLED && learningRate == 0) {
            throw new IllegalArgumentException("a decoupled broadcast needs a positive --broadcast-lr");
        }
    }

    /** The paper's literal form: coupled, matrix rows, no cap. */
    public static BroadcastSettings literal(double lambda) {
        return new BroadcastSettings(lambda, BroadcastForm.COUPLED, 0, BroadcastReading.MATRIX_ROWS, 0);
    }

    public boolean active() {
        return lambda > 0;
    }

    public BroadcastSettings withLambda(double newLambda) {
        return new BroadcastSettings(newLambda, form, learningRate, reading, ratioCap);
    }

    public BroadcastSettings withForm(BroadcastForm newForm, double newLearningRate) {
        return new BroadcastSettings(lambda, newForm, newLearningRate, reading, ratioCap);
    }

    public BroadcastSettings withReading(BroadcastReading newReading) {
        return new BroadcastSettings(lambda, form, learningRate, newReading, ratioCap);
    }

    /** A short name for reports: {@code coupled}, {@code decoupled(eta_b)}, plus the reading if not the default. */
    public String label() {
        String base = form == BroadcastForm.COUPLED ? "coupled" : "decoupled(" + learningRate + ")";
        return reading == BroadcastReading.MATRIX_ROWS ? base : base + "+positions";
    }
}
