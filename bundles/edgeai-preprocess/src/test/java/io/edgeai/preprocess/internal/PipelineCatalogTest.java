package io.edgeai.preprocess.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.preprocess.internal.steps.BuiltInSteps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Pipelines from files: revisions, refused changes, live change under load, learned state across restarts. */
public class PipelineCatalogTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path etc;
    private Path state;
    private PipelineFiles files;
    private final List<String> services = new ArrayList<>();
    private PipelineCatalog catalog;

    @Before
    public void setUp() throws Exception {
        etc = temp.newFolder("etc").toPath();
        state = temp.getRoot().toPath().resolve("data/pipelines");
        files = new PipelineFiles(List.of(etc));
        catalog = newCatalog();
    }

    private PipelineCatalog newCatalog() {
        return new PipelineCatalog(state, BuiltInSteps.types()::get, new PipelineCatalog.Services() {
            @Override
            public void added(LivePipeline pipeline) {
                services.add("+" + pipeline.name());
            }

            @Override
            public void removed(LivePipeline pipeline) {
                services.add("-" + pipeline.name());
            }
        });
    }

    @After
    public void tearDown() {
        catalog.clear();
    }

    /** Two steps so that a reading processed half by one revision and half by another would show. */
    private static String linear(double scale, double offset) {
        return "name: live\nsteps:\n"
                + "  - type: convert\n    features: [x]\n    scale: " + scale + "\n"
                + "  - type: convert\n    features: [x]\n    offset: " + offset + "\n";
    }

    private void write(String file, String text) throws Exception {
        Files.writeString(etc.resolve(file), text);
        files.scan(catalog, false);
    }

    private static Reading reading(String device, long millis, double x) {
        return new Reading(device, Instant.ofEpochMilli(millis), Map.of("x", x));
    }

    private static float x(Preprocessed out) {
        return out.features().get(0).values()[0];
    }

    @Test
    public void aChangedFileIsANewRevisionAndARefusedOneKeepsTheOld() throws Exception {
        write("live.pipeline.yaml", linear(2, 0));
        assertEquals(List.of("+live"), services);
        LivePipeline live = catalog.pipeline("live").orElseThrow();
        Preprocessed first = live.process(reading("d", 1, 5));
        assertEquals(1, first.revision());
        assertEquals(10f, x(first), 0);

        write("live.pipeline.yaml", linear(3, 100));
        Preprocessed second = live.process(reading("d", 2, 5));
        assertEquals(2, second.revision());
        assertEquals(115f, x(second), 0);

        // a typo in a parameter: refused with its place, revision 2 keeps serving
        write("live.pipeline.yaml", linear(3, 100).replace("offset:", "ofset:"));
        PipelineStatus status = catalog.status("live").orElseThrow();
        assertEquals(PipelineStatus.State.SERVING, status.state());
        assertEquals(2, status.revision());
        assertTrue(status.error(), status.error().startsWith("steps[1] (convert): unknown parameter 'ofset'"));
        assertEquals(115f, x(live.process(reading("d", 3, 5))), 0);

        // broken YAML: line and column
        write("live.pipeline.yaml", "name: live\nsteps: [\n");
        assertTrue(catalog.status("live").orElseThrow().error(),
                catalog.status("live").orElseThrow().error().startsWith("line 2, column 9"));
        // fixed again: revision 3, the error is gone
        write("live.pipeline.yaml", linear(1, 1));
        status = catalog.status("live").orElseThrow();
        assertEquals(3, status.revision());
        assertNull(status.error());
        assertEquals(List.of("+live"), services);

        Files.delete(etc.resolve("live.pipeline.yaml"));
        files.scan(catalog, false);
        assertEquals(List.of("+live", "-live"), services);
        assertTrue(catalog.status("live").isEmpty());
    }

    @Test
    public void aFileThatNeverLoadedIsListedAsFailed() throws Exception {
        write("other.pipeline.json", "{\"name\": \"wrong\", \"steps\": [{\"type\": \"zscore\"}]}");
        PipelineStatus status = catalog.status("other").orElseThrow();
        assertEquals(PipelineStatus.State.FAILED, status.state());
        assertTrue(status.error(), status.error().startsWith("name: 'wrong' differs from the file name"));
        assertTrue(services.isEmpty());
        write("other.pipeline.json", "{\"name\": \"other\", \"steps\": [{\"type\": \"nope\"}]}");
        assertEquals("steps[0].type: unknown step type 'nope'", catalog.status("other").orElseThrow().error());
        write("other.pipeline.json", "{\"name\": \"other\", \"steps\": [{\"type\": \"zscore\"}]}");
        assertTrue(catalog.status("other").orElseThrow().error().startsWith("fit: steps that learn from data need"));
        write("other.pipeline.json", "{\"name\": \"other\", \"steps\": [{\"type\": \"zscore\"}], \"fit\": {\"samples\": 0}}");
        assertEquals("fit: must be 'fit: {samples: N}' with N >= 1 readings",
                catalog.status("other").orElseThrow().error());
    }

    @Test
    public void refusalsAreCountedByReason() throws Exception {
        write("bounded.pipeline.yaml", "name: bounded\nsteps:\n  - type: bounds\n    max: 10\n");
        LivePipeline live = catalog.pipeline("bounded").orElseThrow();
        live.process(reading("d", 1, 5));
        PreprocessException e = assertThrows(PreprocessException.class, () -> live.process(reading("d", 2, 50)));
        assertEquals(RejectReason.OUT_OF_RANGE, e.reason());
        assertEquals("bounds", e.step());
        Map<String, Long> counters = live.status().counters();
        assertEquals(2L, (long) counters.get("readings"));
        assertEquals(1L, (long) counters.get("features"));
        assertEquals(1L, (long) counters.get("rejected.out_of_range"));
    }

    /**
     * Readings flow from 4 threads while the definition flips 40 times between y = 2x and y = 3x + 1000 (two
     * steps): every output is one of the two whole transforms, as the revision it names says, and none is lost.
     */
    @Test
    public void liveChangeUnderLoadProcessesEachReadingWithOneWholeRevision() throws Exception {
        write("live.pipeline.yaml", linear(2, 0));
        LivePipeline live = catalog.pipeline("live").orElseThrow();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch started = new CountDownLatch(4);
        List<Future<Integer>> counts = new ArrayList<>();
        for (int thread = 0; thread < 4; thread++) {
            String device = "d" + thread;
            counts.add(pool.submit(() -> {
                started.countDown();
                int n = 0;
                while (running.get()) {
                    double x = 1 + (n % 500);
                    Preprocessed out = live.process(reading(device, n, x));
                    double y = x(out);
                    boolean odd = out.revision() % 2 == 1; // revisions 1, 3, 5... are y = 2x
                    double expected = odd ? 2 * x : 3 * x + 1000;
                    if (y != expected) {
                        wrong.add("revision " + out.revision() + ": x=" + x + " gave " + y);
                    }
                    n++;
                }
                return n;
            }));
        }
        started.await();
        for (int change = 1; change <= 40; change++) {
            write("live.pipeline.yaml", change % 2 == 1 ? linear(3, 1000) : linear(2, 0));
        }
        running.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        long processed = 0;
        for (Future<Integer> count : counts) {
            processed += count.get();
        }
        assertTrue(wrong.toString(), wrong.isEmpty());
        assertEquals(41, live.status().revision());
        assertEquals("every reading came out", processed, (long) live.status().counters().get("features"));
    }

    @Test
    public void learnedStateSurvivesARestartBitForBit() throws Exception {
        String definition = "name: scaled\nsteps:\n  - type: zscore\nfit:\n  samples: 4\n";
        write("scaled.pipeline.yaml", definition);
        LivePipeline live = catalog.pipeline("scaled").orElseThrow();
        for (int i = 0; i < 3; i++) {
            Preprocessed out = live.process(reading("d", i, i * 10));
            assertTrue("learning: no features yet", out.features().isEmpty());
        }
        assertEquals("learning 3/4", live.status().detail());
        assertTrue(live.process(reading("d", 3, 30)).features().isEmpty());
        assertEquals(PipelineStatus.State.SERVING, live.status().state());
        assertNotNull(live.status().fittedState());
        assertTrue(Files.isRegularFile(state.resolve("scaled.fitted.json")));
        // values 0, 10, 20, 30: mean 15, population std sqrt(125)
        float served = x(live.process(reading("d", 4, 40)));
        assertEquals((float) ((40 - 15) / Math.sqrt(125)), served, 0);

        // a restart: a new catalog finds the state and serves at once, the same bits
        catalog.clear();
        PipelineCatalog restarted = newCatalog();
        new PipelineFiles(List.of(etc)).scan(restarted, false);
        LivePipeline again = restarted.pipeline("scaled").orElseThrow();
        assertEquals(PipelineStatus.State.SERVING, again.status().state());
        assertArrayEquals(live.process(reading("d", 5, 40)).features().get(0).values(),
                again.process(reading("d", 5, 40)).features().get(0).values(), 0f);
        assertEquals(served, x(again.process(reading("d", 6, 40))), 0);

        // another definition does not take the saved state: it learns again
        Files.writeString(etc.resolve("scaled.pipeline.yaml"), definition.replace("zscore", "minmax"));
        new PipelineFiles(List.of(etc)).scan(restarted, false);
        assertEquals(PipelineStatus.State.LEARNING, again.status().state());
        restarted.clear();
    }

    /**
     * A model's pipeline fitted on its training readings: the scaler learns from them, the training rows carry the
     * augmentation, and the serialized pipeline serves without it, with what was learned.
     */
    @Test
    public void aPipelineFittedForAModelLearnsAugmentsTrainingOnlyAndServesWhatItLearned() throws Exception {
        List<Reading> training = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            training.add(reading("d", i * 1000L, 10 + i)); // mean 59.5
        }
        training.add(reading("d", 100_000, 1e9)); // refused by the bounds step, not learnt from
        io.edgeai.api.preprocess.PipelineFit fit = catalog.fit("name: m\nsteps:\n"
                + "  - type: bounds\n    max: 1000\n"
                + "  - type: zscore\n"
                + "  - type: jitter\n    sigma: 0.5\n    seed: 3\n", training);
        assertEquals(1, fit.refused());
        assertEquals(100, fit.features().size());
        double sum = 0;
        double jitter = 0;
        for (int i = 0; i < 100; i++) {
            double clean = (10 + i - 59.5) / Math.sqrt(833.25); // population standard deviation of 10..109
            float got = fit.features().get(i).values()[0];
            sum += got;
            jitter += Math.abs(got - clean);
        }
        assertEquals("the training rows are z-scores", 0, sum / 100, 0.2);
        assertTrue("the training rows carry the jitter, " + jitter / 100, jitter / 100 > 0.2);
        io.edgeai.api.preprocess.Pipeline serving = catalog.restore("m-v1", fit.serialized());
        float served = serving.process(reading("d", 200_000, 59.5)).features().get(0).values()[0];
        assertEquals("serving skips the jitter and applies the learned mean", 0, served, 1e-6);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> catalog.fit("name: m\nsteps:\n  - type: zscor\n", training));
        assertTrue(wrong.getMessage(), wrong.getMessage().contains("steps[0].type: unknown step type 'zscor'"));
    }

    /** The way a model archive's pipeline.json comes back: the same outputs as the fitted pipeline, bit for bit. */
    @Test
    public void aSerializedPipelineRestoresToTheSameOutputs() throws Exception {
        FittedPipeline fitted = new FittedPipeline(PipelineDefinition.parse(
                "name: m\nsteps:\n  - type: zscore\n  - type: window\n    size: 3\n", false),
                BuiltInSteps.types()::get);
        List<io.edgeai.api.preprocess.Sample> training = new ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 1000; i++) {
            training.add(new io.edgeai.api.preprocess.Sample("d", Instant.ofEpochSecond(i),
                    Map.of("x", random.nextGaussian() * 3 + 1e6)));
        }
        fitted.fit(training);
        io.edgeai.api.preprocess.Pipeline restored = catalog.restore("m-v1", fitted.serialize());
        LivePipeline original = new LivePipeline("m", f -> { });
        original.install(fitted, true, "test");
        for (int i = 0; i < 300; i++) {
            Reading r = reading("d", 10_000 + i, random.nextGaussian() * 3 + 1e6);
            List<io.edgeai.api.preprocess.Features> a = original.process(r).features();
            List<io.edgeai.api.preprocess.Features> b = restored.process(r).features();
            assertEquals(a.size(), b.size());
            for (int j = 0; j < a.size(); j++) {
                assertArrayEquals(a.get(j).values(), b.get(j).values(), 0f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> catalog.restore("bad", "{\"name\": 3}".getBytes()));
    }
}
