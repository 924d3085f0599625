package org.gba4j.bench;

/**
 * One benchmark measurement, medians over the measured repetitions.
 *
 * @param model          model name
 * @param batch          rows per batch
 * @param seqLen         tokens per row
 * @param forwardMs      forward pass to the vocabulary logits
 * @param stepMs         training step: forward, backward, embedding scatter, Adam on every weight
 * @param gbaStepMs      the same step with the gradient broadcast (GBA) listener
 * @param broadcastMs    time inside the broadcast listener alone (Eq. 4 and the addition of Eq. 3)
 * @param tokensPerSecond training tokens per second ({@code batch * seqLen / step})
 * @param peakRssMb      peak resident memory of the process (heap and ND4J's off-heap)
 */
public record BenchResult(String model, int batch, int seqLen, double forwardMs, double stepMs,
                          double gbaStepMs, double broadcastMs,
                          double tokensPerSecond, double peakRssMb) {
}
