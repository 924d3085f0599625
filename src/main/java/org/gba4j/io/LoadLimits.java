package org.gba4j.io;

import org.gba4j.files.ModelFileException;

/**
 * Bounds checked before any tensor of an untrusted model file is allocated. A downloaded
 * checkpoint may declare absurd shapes to exhaust memory; nothing is allocated until the declared
 * shape, the bytes actually present and these limits agree.
 *
 * @param maxTotalBytes  sum of all tensors read from one model
 * @param maxTensorBytes any single tensor
 * @param maxRank        dimensions of any tensor
 */
public record LoadLimits(long maxTotalBytes, long maxTensorBytes, int maxRank) {

    /** Room for roberta-large / bert-large in float32 (~1.4 GB) with margin; override for bigger models. */
    public static final LoadLimits DEFAULT = new LoadLimits(4L << 30, 1L << 30, 4);

    public LoadLimits {
        if (maxTotalBytes <= 0 || maxTensorBytes <= 0 || maxRank <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * Element count of a declared shape, refusing negative dimensions, overflow and shapes beyond
     * the per-tensor limit for the given element size.
     */
    public long checkedElements(String input, String tensor, long[] shape, int bytesPerElement) {
        if (shape.length > maxRank) {
            throw new ModelFileException(input, "tensor " + tensor + " has rank " + shape.length
                    + " (at most " + maxRank + " expected)", "The file is corrupt or not a BERT-family checkpoint");
        }
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new ModelFileException(input, "tensor " + tensor + " declares a negative dimension " + dim,
                        "The file is corrupt");
            }
            if (dim != 0 && elements > Long.MAX_VALUE / dim) {
                throw new ModelFileException(input, "tensor " + tensor + " declares an overflowing shape",
                        "The file is corrupt");
            }
            elements *= dim;
        }
        if (elements > maxTensorBytes / bytesPerElement) {
            throw new ModelFileException(input, "tensor " + tensor + " declares " + elements * (long) bytesPerElement
                    + " bytes, over the limit of " + maxTensorBytes, "Raise the tensor size limit only if you trust this file");
        }
        return elements;
    }
}
