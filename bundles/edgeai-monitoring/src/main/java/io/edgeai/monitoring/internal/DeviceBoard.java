package io.edgeai.monitoring.internal;

import io.edgeai.api.anomaly.AnomalyVerdict;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.ResultListener;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Component;

/**
 * What the dashboard shows an operator first: each device's latest result (when it was last heard of, the answering
 * model and version, the model's answer, the anomaly watch's state, score and verdict) and the anomaly episodes, open
 * and recent, each with the values that drove it. Told of every result (a {@link ResultListener}, as CoAP observers
 * are); memory is bounded: the {@value #MAX_DEVICES} devices heard of most recently and the last
 * {@value #MAX_EPISODES} closed episodes.
 */
@Component(service = {DeviceBoard.class, ResultListener.class}, immediate = true)
public class DeviceBoard implements ResultListener {

    static final int MAX_DEVICES = 5000;
    static final int MAX_EPISODES = 500;

    /** A device's latest result as the dashboard shows it; null where the result had no such part. */
    public record Device(String id, long seenMillis, Instant readingTime, String model, Integer version,
            Float output, String state, Double score, Double threshold, Boolean anomaly, String detail,
            Map<String, Double> contributions) {
    }

    /**
     * An anomaly episode of a device's stream: opened by an alert, closed (endMillis) by the stream's first normal
     * reading after it (0 while open), with the values that drove its alert and its highest score.
     */
    public record Episode(String device, long number, long startMillis, long endMillis, String model, int version,
            double peakScore, double threshold, Map<String, Double> contributions) {

        public boolean open() {
            return endMillis == 0;
        }
    }

    private final LongSupplier clock;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, Episode> open = new LinkedHashMap<>();
    private final Deque<Episode> closed = new ArrayDeque<>();
    private long alerts;

    public DeviceBoard() {
        this(System::currentTimeMillis);
    }

    DeviceBoard(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void resultChanged(Result result) {
        long now = clock.getAsLong();
        Prediction prediction = result.prediction();
        AnomalyVerdict verdict = result.verdict();
        boolean scored = verdict != null && verdict.scored();
        String model = prediction != null ? prediction.model() : scored ? verdict.model() : null;
        Integer version = prediction != null ? Integer.valueOf(prediction.version()) : scored
                ? Integer.valueOf(verdict.version()) : null;
        Float output = result.outputs().filter(o -> o.length > 0).map(o -> o[0]).orElse(null);
        devices.put(result.deviceId(), new Device(result.deviceId(), now, result.reading().timestamp(), model, version,
                output, verdict == null ? null : verdict.state().name(), scored ? verdict.score() : null,
                scored ? verdict.threshold() : null, scored ? verdict.anomaly() : null,
                verdict == null ? null : verdict.detail(), scored ? verdict.contributions() : Map.of()));
        if (devices.size() > MAX_DEVICES) {
            forgetOldest();
        }
        if (scored) {
            episode(result.deviceId(), verdict, now);
        }
    }

    private synchronized void episode(String device, AnomalyVerdict verdict, long now) {
        Episode current = open.get(device);
        if (verdict.alert()) {
            if (current != null) {
                close(device, current, now);
            }
            alerts++;
            open.put(device, new Episode(device, verdict.episode(), now, 0, verdict.model(), verdict.version(),
                    verdict.score(), verdict.threshold(), verdict.contributions()));
        } else if (current != null && verdict.anomaly()) {
            if (verdict.score() > current.peakScore()) {
                open.put(device, new Episode(device, current.number(), current.startMillis(), 0, current.model(),
                        current.version(), verdict.score(), current.threshold(), current.contributions()));
            }
        } else if (current != null) {
            close(device, current, now);
        }
    }

    private void close(String device, Episode episode, long now) {
        open.remove(device);
        closed.addLast(new Episode(device, episode.number(), episode.startMillis(), Math.max(now,
                episode.startMillis() + 1), episode.model(), episode.version(), episode.peakScore(),
                episode.threshold(), episode.contributions()));
        while (closed.size() > MAX_EPISODES) {
            closed.removeFirst();
        }
    }

    /** Keeps the devices heard of most recently (nine tenths of the bound, so that this runs seldom). */
    private synchronized void forgetOldest() {
        if (devices.size() <= MAX_DEVICES) {
            return;
        }
        List<Device> all = new ArrayList<>(devices.values());
        all.sort(Comparator.comparingLong(Device::seenMillis));
        for (Device gone : all.subList(0, all.size() - MAX_DEVICES * 9 / 10)) {
            devices.remove(gone.id(), gone);
            Episode episode = open.get(gone.id());
            if (episode != null) {
                close(gone.id(), episode, clock.getAsLong());
            }
        }
    }

    /** Every device known, in no order. */
    public List<Device> devices() {
        return new ArrayList<>(devices.values());
    }

    /** The open episodes, and the closed ones that ended at or after {@code sinceMillis}; oldest start first. */
    public synchronized List<Episode> episodes(long sinceMillis) {
        List<Episode> found = new ArrayList<>();
        for (Episode e : closed) {
            if (e.endMillis() >= sinceMillis) {
                found.add(e);
            }
        }
        found.addAll(open.values());
        found.sort(Comparator.comparingLong(Episode::startMillis));
        return found;
    }

    /** Alerts since the gateway started. */
    public synchronized long alerts() {
        return alerts;
    }
}
