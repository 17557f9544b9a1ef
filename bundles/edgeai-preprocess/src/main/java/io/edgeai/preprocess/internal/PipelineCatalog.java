package io.edgeai.preprocess.internal;

import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.PipelineFit;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Pipelines;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.reading.Reading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines defined by files, by name: a changed file becomes a new revision of its pipeline; a file that cannot
 * be read, names an unknown step type or has a wrong parameter is refused with the place of the problem, and the
 * pipeline's previous revision keeps serving. What a pipeline learned from its first readings is kept in the state
 * folder and restored at the next start while the definition stays the same.
 */
final class PipelineCatalog implements Pipelines, PipelineFiles.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineCatalog.class);

    /** Told when a pipeline appears (its first revision loaded) and when its file is deleted. */
    interface Services {
        void added(LivePipeline pipeline);

        void removed(LivePipeline pipeline);
    }

    /** A pipeline name: the file that owns it and the live pipeline (null until a revision loads). */
    private static final class Entry {
        Path file;
        LivePipeline live;
        String error;
        Instant changed;
    }

    private final Map<String, Entry> pipelines = new HashMap<>();
    private final Path stateFolder;
    private final Function<String, Function<Map<String, Object>, Step>> types;
    private final Services services;

    PipelineCatalog(Path stateFolder, Function<String, Function<Map<String, Object>, Step>> types, Services services) {
        this.stateFolder = stateFolder;
        this.types = types;
        this.services = services;
    }

    @Override
    public void changed(Path file, String pipelineName, String text) {
        load(file, pipelineName, text);
    }

    @Override
    public void removed(Path file, String pipelineName) {
        remove(file, pipelineName);
    }

    /** The files whose last text was refused, to be read again when step types change. */
    List<Path> refusedFiles() {
        synchronized (pipelines) {
            return pipelines.values().stream().filter(e -> e.error != null).map(e -> e.file).toList();
        }
    }

    /** The live pipeline of a name, if a revision of it loaded. */
    Optional<LivePipeline> pipeline(String name) {
        synchronized (pipelines) {
            Entry entry = pipelines.get(name);
            return entry == null ? Optional.empty() : Optional.ofNullable(entry.live);
        }
    }

    /** Forgets every pipeline, telling the services. */
    void clear() {
        synchronized (pipelines) {
            for (Entry entry : pipelines.values()) {
                if (entry.live != null) {
                    services.removed(entry.live);
                }
            }
            pipelines.clear();
        }
    }

    void load(Path file, String name, String text) {
        synchronized (pipelines) {
            Entry entry = pipelines.get(name);
            if (entry != null && entry.file != null && !entry.file.equals(file)) {
                LOG.error("Pipeline file {} refused: pipeline '{}' is already defined by {}", file, name, entry.file);
                return;
            }
            if (entry == null) {
                entry = new Entry();
                pipelines.put(name, entry);
            }
            entry.file = file;
            entry.changed = Instant.now();
            FittedPipeline pipeline;
            try {
                PipelineDefinition definition = PipelineDefinition.parse(text, PipelineFiles.isJson(file));
                if (!definition.name().equals(name)) {
                    throw new InvalidDefinitionException("name", "'" + definition.name() + "' differs from the file"
                            + " name: " + file.getFileName() + " must define pipeline '" + name + "'");
                }
                pipeline = new FittedPipeline(definition, types);
                if (pipeline.learns() && definition.fitSamples() == 0) {
                    throw new InvalidDefinitionException("fit", "steps that learn from data need 'fit: {samples: N}'"
                            + " to learn from the first N readings (a model's pipeline is fitted in training)");
                }
            } catch (InvalidDefinitionException e) {
                String error = e.getMessage();
                entry.error = error;
                if (entry.live != null) {
                    entry.live.refused(file.toString(), error);
                    LOG.error("Pipeline file {} refused: {}; revision {} keeps serving", file, error,
                            entry.live.status().revision());
                } else {
                    LOG.error("Pipeline file {} refused: {}", file, error);
                }
                return;
            }
            boolean fitted = false;
            if (pipeline.learns()) {
                Optional<FittedPipeline> saved = restoreState(pipeline.definition());
                if (saved.isPresent()) {
                    pipeline = saved.get();
                    fitted = true;
                }
            }
            entry.error = null;
            if (entry.live == null) {
                entry.live = new LivePipeline(name, this::saveState);
                long revision = entry.live.install(pipeline, fitted, file.toString());
                services.added(entry.live);
                LOG.info("Pipeline '{}' revision {} from {}{}", name, revision, file, state(entry.live));
            } else {
                long revision = entry.live.install(pipeline, fitted, file.toString());
                LOG.info("Pipeline '{}' revision {} from {} replaces the previous one{}", name, revision, file,
                        state(entry.live));
            }
        }
    }

    private static String state(LivePipeline live) {
        PipelineStatus status = live.status();
        return status.state() == PipelineStatus.State.LEARNING ? " (" + status.detail() + ")" : "";
    }

    void remove(Path file, String name) {
        synchronized (pipelines) {
            Entry entry = pipelines.get(name);
            if (entry == null || !file.equals(entry.file)) {
                return;
            }
            pipelines.remove(name);
            if (entry.live != null) {
                services.removed(entry.live);
            }
            LOG.info("Pipeline file {} deleted: pipeline '{}' removed", file, name);
        }
    }

    /** Where a pipeline's learned state is kept. */
    private Path stateFile(String name) {
        return stateFolder.resolve(name + ".fitted.json");
    }

    private Optional<FittedPipeline> restoreState(PipelineDefinition definition) {
        Path file = stateFile(definition.name());
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            FittedPipeline saved = FittedPipeline.restore(Files.readAllBytes(file), types, definition);
            LOG.info("Pipeline '{}': learned state restored from {}", definition.name(), file);
            return Optional.of(saved);
        } catch (InvalidDefinitionException e) {
            LOG.info("Pipeline '{}': {} was saved for another definition ({}); learning again", definition.name(),
                    file, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Pipeline '{}': saved state {} not usable ({}); learning again", definition.name(), file,
                    e.getMessage());
        }
        return Optional.empty();
    }

    private void saveState(FittedPipeline pipeline) {
        Path file = stateFile(pipeline.definition().name());
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(temp, pipeline.serialize());
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Pipeline '{}' fitted on its first {} readings; state saved to {}", pipeline.definition().name(),
                    pipeline.definition().fitSamples(), file);
        } catch (IOException e) {
            LOG.warn("Pipeline '{}' fitted, but its state could not be saved to {} ({}): it will learn again after a"
                    + " restart", pipeline.definition().name(), file, e.toString());
        }
    }

    @Override
    public List<PipelineStatus> list() {
        List<PipelineStatus> list = new ArrayList<>();
        synchronized (pipelines) {
            pipelines.forEach((name, entry) -> list.add(status(name, entry)));
        }
        list.sort(Comparator.comparing(PipelineStatus::name));
        return list;
    }

    @Override
    public Optional<PipelineStatus> status(String name) {
        synchronized (pipelines) {
            Entry entry = pipelines.get(name);
            return entry == null ? Optional.empty() : Optional.of(status(name, entry));
        }
    }

    private static PipelineStatus status(String name, Entry entry) {
        if (entry.live != null) {
            return entry.live.status();
        }
        return new PipelineStatus(name, String.valueOf(entry.file), PipelineStatus.State.FAILED, 0, "", null, null,
                entry.error, entry.changed, Map.of());
    }

    @Override
    public io.edgeai.api.preprocess.Pipeline restore(String name, byte[] serialized) {
        FittedPipeline pipeline;
        try {
            pipeline = FittedPipeline.restore(serialized, types);
        } catch (InvalidDefinitionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a fitted pipeline as training writes it: " + e, e);
        }
        LivePipeline live = new LivePipeline(name, fitted -> { });
        live.install(pipeline, true, "model archive");
        return live;
    }

    @Override
    public PipelineFit fit(String definition, List<Reading> training) {
        FittedPipeline pipeline;
        try {
            String text = definition.strip();
            pipeline = new FittedPipeline(PipelineDefinition.parse(text, text.startsWith("{")), types);
        } catch (InvalidDefinitionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<Sample> samples = new ArrayList<>(training.size());
        for (Reading reading : training) {
            samples.add(new Sample(reading.deviceId(), reading.timestamp(), reading.values()));
        }
        pipeline.fit(samples);
        List<Features> features = new ArrayList<>();
        long refused = 0;
        for (Sample sample : samples) {
            try {
                for (Sample out : pipeline.applyForTraining(sample)) {
                    features.add(LivePipeline.toFeatures(out));
                }
            } catch (PreprocessException e) {
                refused++;
            }
        }
        return new PipelineFit(pipeline.serialize(), features, refused);
    }

    List<String> names() {
        synchronized (pipelines) {
            return pipelines.keySet().stream().sorted().toList();
        }
    }
}
