package io.edgeai.telemetry.internal;

import io.edgeai.api.reading.LatestResults;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.ResultListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest result per device, in memory, for the most recently active {@value #MAX_DEVICES} devices; every new
 * result is pushed to the {@link ResultListener} whiteboard.
 */
@Component(service = LatestResults.class)
public class ResultStore implements LatestResults {

    static final int MAX_DEVICES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);

    private final Map<String, Result> latest = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
            return size() > MAX_DEVICES;
        }
    };

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<ResultListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Optional<Result> latest(String deviceId) {
        synchronized (latest) {
            return Optional.ofNullable(latest.get(deviceId));
        }
    }

    @Override
    public void publish(Result result) {
        synchronized (latest) {
            latest.put(result.deviceId(), result);
        }
        for (ResultListener listener : listeners) {
            try {
                listener.resultChanged(result);
            } catch (RuntimeException e) {
                LOG.warn("Result listener {} failed for device {}: {}", listener, result.deviceId(), e.toString());
            }
        }
    }
}
