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
 * The {@link DeviceFleet}: the newest report of at most {@value #MAX_DEVICES} devices, in memory, for the models the
 * registry knows (a report of another name is not kept: made-up names cannot fill the memory); when more devices
 * report, the one silent longest is forgotten.
 */
@Component(service = DeviceFleet.class)
public class FleetComponent implements DeviceFleet {

    @org.osgi.service.component.annotations.Reference(cardinality =
            org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL, policy =
            org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC, policyOption =
            org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    private volatile io.edgeai.api.model.ModelRegistry registry;

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

    /** Only for a test: the models a report may name, else the registry's. */
    java.util.function.Predicate<String> known = null;

    @Override
    public synchronized void reported(String deviceId, Map<String, Integer> versions, Instant at) {
        io.edgeai.api.model.ModelRegistry models = registry;
        java.util.function.Predicate<String> kept = known != null ? known
                : model -> models != null && !models.versions(model).isEmpty();
        Map<String, Report> reports = null;
        for (Map.Entry<String, Integer> entry : versions.entrySet()) {
            if (kept.test(entry.getKey())) {
                if (reports == null) {
                    reports = devices.computeIfAbsent(deviceId, d -> new LinkedHashMap<>());
                }
                reports.put(entry.getKey(), new Report(deviceId, entry.getKey(), entry.getValue(), at));
            }
        }
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
