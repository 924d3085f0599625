package org.gba4j.bench;

/**
 * One benchmark measurement.
 *
 * @param model           model name
 * @param batch           rows per batch
 * @param seqLen          tokens per row
 * @param forward         forward pass to the vocabulary logits
 * @param step            training step: forward, backward, embedding scatter, Adam on every weight
 * @param gbaStep         the same step with the gradient broadcast (GBA) listener
 * @param broadcastMs     median time inside the broadcast listener alone (Eq. 4 and the addition of Eq. 3)
 * @param tokensPerSecond training tokens per second ({@code batch * seqLen / median step})
 */
public record BenchResult(String model, int batch, int seqLen, Phase forward, Phase step, Phase gbaStep,
                          double broadcastMs, double tokensPerSecond) {

    /**
     * The measured repetitions of one phase.
     *
     * @param medianMs  median time
     * @param slowestMs slowest repetition (a stall shows here, not in the median)
     * @param peakRssMb the process's peak resident memory (heap and ND4J's off-heap) once the phase ended
     */
    public record Phase(double medianMs, double slowestMs, double peakRssMb) {
    }

    /** The process's peak resident memory over the whole run. */
    public double peakRssMb() {
        return gbaStep.peakRssMb();
    }

    /** The broadcast's share of a GBA step, in percent. */
    public double broadcastShare() {
        return 100 * broadcastMs / gbaStep.medianMs();
    }
}
