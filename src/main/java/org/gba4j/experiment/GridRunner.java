package org.gba4j.experiment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gba4j.config.ConfigPairs;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.io.AtomicFiles;
import org.gba4j.io.PretrainedModel;

/**
 * Runs an experiment's grid for one seed: checks every dataset it needs, skips the cells already
 * stored, computes the others one at a time (each stored the moment it finishes) and returns every
 * finished cell; the caller writes the reports ({@link ReportWriter}), over one seed or several. A run
 * killed at any point resumes where it stopped.
 *
 * @param profile  the run's size and budgets
 * @param seed     the seed of sampling, poisoning, initialisation and shuffling
 * @param datasets where the project's datasets live
 * @param work     the run's folder: {@code cells/} and the shared {@code models/}
 * @param force    recompute stored cells (the shared models are kept)
 */
public record GridRunner(Profile profile, long seed, ProjectDatasets datasets, Path work, boolean force) {

    /** The run folder for a profile, model and seed under {@code out}. */
    public static Path workFolder(Path out, Profile profile, long seed) {
        return out.resolve(profile.name() + "-" + modelName(profile) + "-seed" + seed);
    }

    /** The profile's model as a file-name part: {@code minilm}, {@code bert-base}, or a path's last name. */
    public static String modelName(Profile profile) {
        return Path.of(profile.model()).getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "-");
    }

    /**
     * Computes those of {@code cells} (the experiment's, or some of them) not yet stored with their current settings;
     * returns every one of them finished for this seed.
     */
    public List<CellResult> compute(Experiment experiment, List<Cell> cells, PrintStream out) {
        GridData data = new GridData(datasets, profile, seed);
        data.verify(tasksOf(cells));
        try (RunLock lock = RunLock.acquire(work)) {
            return computeLocked(experiment, cells, data, out);
        }
    }

    /**
     * Those of {@code cells} already stored with their current settings, computing nothing; no lock is taken, so a
     * run still computing the other cells may be read while it works (each cell file is written atomically).
     */
    public List<CellResult> stored(List<Cell> cells) {
        CellStore store = new CellStore(work.resolve("cells"));
        List<CellResult> results = new ArrayList<>();
        for (Cell cell : cells) {
            store.find(cell, CellConfiguration.fingerprint(cell, profile, seed)).ifPresent(results::add);
        }
        return results;
    }

    /**
     * Stores as finished those of {@code cells} that {@code earlier} holds for this seed with exactly the settings the
     * cell has now (every recorded setting equal, and its fingerprint): the rows of report CSVs a grid wrote
     * ({@link ReportReader}), e.g. a committed report whose work folder went with its machine. Cells already stored, and
     * rows of other cells, seeds or settings, are left alone (those cells are computed as usual). Returns how many
     * cells were stored.
     */
    public int restore(List<Cell> cells, List<CellResult> earlier) {
        CellStore store = new CellStore(work.resolve("cells"));
        Map<String, Cell> byId = new LinkedHashMap<>();
        cells.forEach(c -> byId.put(c.id(), c));
        Map<Cell, CellResult> found = new LinkedHashMap<>();
        for (CellResult row : earlier) {
            Cell cell = byId.get(row.cell().id());
            if (cell == null || !Long.toString(seed).equals(row.run().get("seed"))) {
                continue;
            }
            Map<String, String> now = CellConfiguration.of(cell, profile, seed);
            String fingerprint = ConfigPairs.fingerprint(now);
            if (now.equals(row.settings()) && fingerprint.equals(row.fingerprint())
                    && store.find(cell, fingerprint).isEmpty()) {
                found.putIfAbsent(cell, row);
            }
        }
        if (found.isEmpty()) {
            return 0;
        }
        try (RunLock lock = RunLock.acquire(work)) {
            found.values().forEach(store::save);
        }
        return found.size();
    }

    private List<CellResult> computeLocked(Experiment experiment, List<Cell> cells, GridData data, PrintStream out) {
        CellStore store = new CellStore(work.resolve("cells"));
        AtomicFiles.removeLeftovers(store.folder());
        Map<Cell, String> fingerprints = new LinkedHashMap<>();
        cells.forEach(c -> fingerprints.put(c, CellConfiguration.fingerprint(c, profile, seed)));
        List<Cell> todo = toCompute(cells, store, fingerprints, force);
        long stale = todo.stream().filter(c -> store.find(c).isPresent()).count();
        out.printf("%s: %d cells, %d stored, %d to compute (profile %s, model %s, seed %d, work folder %s)%n",
                experiment.name(), cells.size(), cells.size() - todo.size(), todo.size(), profile.name(), profile.model(),
                seed, work);
        if (stale > 0 && !force) {
            out.printf("%d stored cell(s) were computed with other settings and are recomputed%n", stale);
        }
        if (!todo.isEmpty()) {
            try (PretrainedModel base = PretrainedModel.load(profile.model())) {
                CellRunner runner = new CellRunner(base, profile, seed, data,
                        new ModelStore(work.resolve("models"), base.tokenizerFile()));
                GridProgress progress = new GridProgress(out, todo.size());
                for (int i = 0; i < todo.size(); i++) {
                    Cell cell = todo.get(i);
                    progress.startCell(i + 1, todo.size(), cell);
                    CellResult result;
                    try {
                        result = runner.run(cell, progress::step);
                    } catch (RuntimeException e) {
                        out.println(); // end the progress line before the error is printed
                        throw e;
                    }
                    store.save(result);
                    progress.endCell(result);
                }
            }
        }
        return stored(cells);
    }

    /** The cells to compute: all with {@code force}, else those not stored with their current settings' fingerprint. */
    static List<Cell> toCompute(List<Cell> cells, CellStore store, Map<Cell, String> fingerprints, boolean force) {
        return force ? cells : cells.stream().filter(c -> store.find(c, fingerprints.get(c)).isEmpty()).toList();
    }

    private static Set<PaperDataset> tasksOf(List<Cell> cells) {
        Set<PaperDataset> tasks = new LinkedHashSet<>();
        for (Cell cell : cells) {
            tasks.add(PaperDataset.of(cell.dataset()));
            String next = cell.param("adapt_to", "");
            if (!next.isEmpty()) {
                tasks.add(PaperDataset.of(next));
            }
        }
        return tasks;
    }
}
