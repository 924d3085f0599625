package org.gba4j.model;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Deterministic release of ND4J's off-heap arrays, so a training step's memory does not wait for
 * the Java garbage collector.
 *
 * <p>Why: an ND4J array is a small heap object over a large native buffer, freed when the GC
 * collects the heap object. With a mostly empty heap that happens rarely, so every pass mapped fresh
 * native memory until JavaCPP's ceiling forced a collection (the stalls of issue 14). Two sources
 * are closed here instead: (1) a graph run's intermediate arrays, which SameDiff hands back to its
 * session's memory manager once no op needs them; M2.1's default manager keeps up to a quarter of
 * JavaCPP's ceiling of them cached; {@link #install()} makes every session close them at once;
 * (2) the arrays a step returns to its caller (gradients, probabilities, placeholders), closed by
 * their owner through {@link #close(INDArray...)} once the step is done.
 */
public final class NativeMemory {
    private static volatile boolean installed;

    private NativeMemory() {
    }

    /** Binds SameDiff's session factory (process-wide, once) to sessions that free released arrays. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (NativeMemory.class) {
            if (!installed) {
                bind();
                installed = true;
            }
        }
    }

    /** Binds the factory again (tests compare with SameDiff's default sessions, then restore these). */
    static void bind() {
        SameDiff.bindInferenceFactory(NativeMemory::session);
    }

    private static InferenceSession session(SameDiff sd) {
        InferenceSession session = new InferenceSession(sd);
        session.setMmgr(new ClosingMemoryMgr());
        return session;
    }

    /** Closes each array that owns its buffer (views and nulls are skipped); each at most once. */
    public static void close(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && !array.wasClosed() && array.closeable()) {
                array.close();
            }
        }
    }

    /** Closes every array of a collection, as {@link #close(INDArray...)}. */
    public static void closeAll(Iterable<INDArray> arrays) {
        for (INDArray array : arrays) {
            close(array);
        }
    }

    /** A session memory manager that allocates fresh and frees on release: no cache held between runs. */
    static final class ClosingMemoryMgr extends AbstractMemoryMgr {
        @Override
        public INDArray allocate(boolean detached, DataType dataType, long... shape) {
            return Nd4j.createUninitialized(dataType, shape);
        }

        @Override
        public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
            return descriptor.isEmpty() ? Nd4j.create(descriptor) : allocate(detached, descriptor.dataType(),
                    descriptor.getShape());
        }

        @Override
        public void release(INDArray array) {
            NativeMemory.close(array);
        }

        @Override
        public void close() {
            // nothing is held
        }
    }
}
