package org.gba4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.gba4j.experiment.GridProgress;
import org.gba4j.io.PretrainedModel;
import org.gba4j.io.StageCache;
import org.gba4j.model.BertWeights;
import org.gba4j.prompt.DefendedModel;
import picocli.CommandLine.Option;

/** Where {@code attack} and {@code defend} write their model, and the writing itself (a picocli mixin). */
final class OutputOptions {

    @Option(names = "--out", required = true, description = "folder for the written model (must not exist, see --overwrite)")
    Path out;

    @Option(names = "--overwrite", description = "replace --out if it is a folder gba4j wrote and nobody changed since")
    boolean overwrite;

    @Option(names = "--format", defaultValue = "safetensors", description = "safetensors (a Hugging Face Hub folder:"
            + " model.safetensors, config.json, tokenizer files, gba4j.json) or onnx (the source's ONNX graph with the"
            + " new weights, for a prompt classifier adapted from an ONNX export); default: ${DEFAULT-VALUE}")
    String format;

    /** Before anything is loaded: --out may be written, is not an input, and has room for {@code model}'s size. */
    void checkTarget(String model, Path train) {
        OptionChecks.oneOf("--format", format, java.util.List.of("safetensors", "onnx"));
        if (format().equals(DefendedModel.Format.ONNX) && !PretrainedModel.MINILM.equals(model)
                && !PretrainedModel.isOnnx(Path.of(model))) {
            throw new IllegalArgumentException("--format onnx needs a model that came from an ONNX export; " + model
                    + " did not: use --format safetensors");
        }
        DefendedModel.checkTarget(out, overwrite, OptionChecks.modelBytes(model), OptionChecks.modelPath(model),
                train == null ? null : train.toAbsolutePath());
    }

    private DefendedModel.Format format() {
        return format.equals("onnx") ? DefendedModel.Format.ONNX : DefendedModel.Format.SAFETENSORS;
    }

    /** The finished stages of this run, kept beside --out until the model is written. */
    StageCache stages(PretrainedModel pretrained) {
        return new StageCache(out, pretrained.tokenizerFile());
    }

    /** Writes the model (atomically), then drops the run's stages; {@code start} is the run's start, for the time. */
    void write(PretrainedModel pretrained, BertWeights weights, DefendedModel.Settings settings,
               Map<String, String> provenance, StageCache stages, long start) {
        DefendedModel.write(pretrained, weights, settings, provenance, out, overwrite, format());
        stages.clear();
        System.out.printf(Locale.ROOT, "%nwrote %s in %s%n", out, GridProgress.clock((System.nanoTime() - start) / 1e9));
    }
}
