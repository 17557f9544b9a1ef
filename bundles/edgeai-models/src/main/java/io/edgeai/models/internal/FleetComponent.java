package io.edgeai.models.internal;

import io.edgeai.api.model.DeviceFleet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@link DeviceFleet}: the newest report of at most {@value #MAX_DEVICES} devices, in memory; when more report,
 * the one silent longest is forgotten.
 */
@Component(service = DeviceFleet.class)
public class FleetComponent implements DeviceFleet {

    static final int MAX_DEVICES = 100_000;

    private final int maxDevices;
    /** Device id to its models and versions, in order of their last report (oldest first). */
    private final LinkedHashMap<String, Map<String, Report>> devices = new LinkedHashMap<>(16, 0.75f, true);

    public FleetComponent() {
        this(MAX_DEVICES);
    }

    FleetComponent(int maxDevices) {
        this.maxDevices = maxDevices;
    }

    @Override
    public synchronized void reported(String deviceId, Map<String, Integer> versions, Instant at) {
        Map<String, Report> models = devices.computeIfAbsent(deviceId, d -> new LinkedHashMap<>());
        versions.forEach((model, version) -> models.put(model, new Report(deviceId, model, version, at)));
        while (devices.size() > maxDevices) {
            devices.remove(devices.keySet().iterator().next());
        }
    }

    @Override
    public synchronized List<Report> devices(String model) {
        List<Report> reports = new ArrayList<>();
        for (Map<String, Report> models : devices.values()) {
            Report report = models.get(model);
            if (report != null) {
                reports.add(report);
            }
        }
        reports.sort(Comparator.comparing(Report::deviceId));
        return reports;
    }
}
