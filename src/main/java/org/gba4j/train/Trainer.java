package org.gba4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.model.BertModel;
import org.gba4j.model.NativeMemory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Trains a {@link BertModel} on the vocabulary cross-entropy objective with Adam or SGD.
 *
 * <p>Why not {@code sd.fit}: the complete word-embedding gradient only exists after the
 * scatter-add of the looked-up rows (see {@link GradientStep}), and {@code sd.fit} hands the
 * matrix's partial gradient to the updater before that. This loop keeps the order explicit:
 * gradients, then every listener ({@link TrainingListener#beforeUpdate}), then ND4J's own updater ({@link GradientUpdater}) per weight, then {@link TrainingListener#afterUpdate}; then the pass's native arrays are freed
 * ({@link GradientStep.Result#close()}), so listeners must not keep them.
 */
public final class Trainer implements AutoCloseable {
    private final BertModel model;
    private final List<TrainingListener> listeners;
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
    /** The optimiser's state (Adam: two moments per weight, twice the model's size), freed by {@link #close()}. */
    private final List<INDArray> states = new java.util.ArrayList<>();
    private int iteration;

    public Trainer(BertModel model, TrainingConfig config, List<TrainingListener> listeners) {
        this.model = model;
        this.listeners = List.copyOf(listeners);
        for (SDVariable variable : model.graph().sameDiff().variables()) {
            if (variable.getVariableType() == VariableType.VARIABLE && config.trainable().test(variable.name())) {
                IUpdater updater = config.updater(variable.name());
                long n = variable.getArr().length();
                long stateSize = updater.stateSize(n);
                INDArray state = stateSize == 0 ? null : Nd4j.zeros(DataType.FLOAT, 1, stateSize);
                if (state != null) {
                    states.add(state);
                }
                updaters.put(variable.name(), updater.instantiate(state, true));
            }
        }
        if (updaters.isEmpty()) {
            throw new IllegalArgumentException("no trainable weights selected");
        }
    }

    public BertModel model() {
        return model;
    }

    /** One Adam step on the batch; returns the batch's loss before the update. */
    public double step(MaskedTokenBatch batch) {
        if (updaters.isEmpty()) {
            throw new IllegalStateException("this trainer was closed");
        }
        Map<String, INDArray> extra = new java.util.HashMap<>();
        for (TrainingListener listener : listeners) {
            listener.beforeStep(model, batch, extra);
        }
        try (GradientStep.Result result = GradientStep.run(model, batch, List.copyOf(updaters.keySet()), extra)) {
            StepContext context = new StepContext(iteration, model, batch, result.loss(), result.probabilities(),
                    result.gradients(), result.inputRowGradients());
            for (TrainingListener listener : listeners) {
                listener.beforeUpdate(context);
            }
            for (String name : updaters.keySet()) {
                INDArray gradient = result.gradients().get(name);
                if (gradient == null) {
                    continue; // not reached by this loss (e.g. token types never fed)
                }
                INDArray param = model.graph().sameDiff().getVariable(name).getArr();
                INDArray update = gradient.reshape(1, gradient.length());
                updaters.get(name).applyUpdater(update, iteration, 0);
                param.subi(update.reshape(param.shape()));
            }
            for (TrainingListener listener : listeners) {
                listener.afterUpdate(context);
            }
            iteration++;
            return result.loss();
        }
    }

    /** Frees the optimiser's state now rather than when the garbage collector finds it; the trainer is unusable after. */
    @Override
    public void close() {
        NativeMemory.closeAll(states);
        states.clear();
        updaters.clear();
    }
}
