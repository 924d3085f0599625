package org.gba4j.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;

/** ONNX Runtime running a BERT ONNX export: the independent reference for the SameDiff encoder. */
public final class OnnxRuntimeReference {
    private OnnxRuntimeReference() {
    }

    /** The export's first output (the last hidden state) for a padded batch, {@code [B][T][d]}. */
    public static float[][][] lastHiddenState(Path model, TokenBatch batch) throws Exception {
        return (float[][][]) output(model, batch, null);
    }

    /** The export's output {@code name} (null: the first) for a padded batch, as ONNX Runtime's Java array. */
    public static Object output(Path model, TokenBatch batch, String name) throws Exception {
        long[][] ids = new long[batch.batchSize()][batch.seqLen()];
        long[][] mask = new long[batch.batchSize()][batch.seqLen()];
        long[][] types = new long[batch.batchSize()][batch.seqLen()];
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < batch.seqLen(); t++) {
                ids[b][t] = batch.ids()[b][t];
                mask[b][t] = t < batch.lengths()[b] ? 1 : 0;
                types[b][t] = batch.typeIds()[b][t];
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor idsT = OnnxTensor.createTensor(env, ids);
             OnnxTensor maskT = OnnxTensor.createTensor(env, mask);
             OnnxTensor typesT = OnnxTensor.createTensor(env, types)) {
            // RoBERTa exports take no token_type_ids: feed only the inputs the graph declares
            Map<String, OnnxTensor> feed = new java.util.HashMap<>(
                    Map.of("input_ids", idsT, "attention_mask", maskT, "token_type_ids", typesT));
            feed.keySet().retainAll(session.getInputNames());
            try (OrtSession.Result result = name == null ? session.run(feed) : session.run(feed, java.util.Set.of(name))) {
                return (name == null ? result.get(0) : result.get(name).orElseThrow()).getValue();
            }
        }
    }
}
