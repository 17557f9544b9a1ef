package io.edgeai.djl.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which device the models run on, decided from the configured request and the GPUs the engine sees. {@code auto}
 * takes the first GPU when there is one, else the CPU; a GPU asked for by name ({@code gpu}, {@code gpu(N)}) must be
 * there: a gateway configured for a GPU that came up on the CPU would serve slowly without anyone noticing, so the
 * request is refused ({@link #refused()}) and the engine does not start. So is a device it does not know.
 *
 * @param device the device in DJL's notation: {@code cpu} or {@code gpu(N)}; empty when refused
 * @param refused whether the request cannot be met
 * @param reason what was decided and why
 */
record DeviceChoice(String device, boolean refused, String reason) {

    private static final Pattern GPU = Pattern.compile("gpu(?:\\((\\d+)\\)|:(\\d+))?");

    /**
     * Whether the request can only be checked with the engine loaded: a GPU by name (or a device not known), which must
     * be refused at start rather than at the first model.
     */
    static boolean needsEngine(String requested) {
        String request = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        return !(request.isEmpty() || request.equals("auto") || request.equals("cpu"));
    }

    static DeviceChoice choose(String requested, int gpuCount) {
        String request = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        if (request.isEmpty() || request.equals("auto")) {
            return gpuCount > 0
                    ? new DeviceChoice("gpu(0)", false, "auto: " + gpuCount + " GPU(s) visible")
                    : new DeviceChoice("cpu", false, "auto: no GPU visible");
        }
        if (request.equals("cpu")) {
            return new DeviceChoice("cpu", false, "cpu as configured");
        }
        Matcher gpu = GPU.matcher(request);
        if (!gpu.matches()) {
            return new DeviceChoice("", true, "unknown device '" + requested + "': use auto, cpu, gpu or gpu(N)");
        }
        String digits = gpu.group(1) != null ? gpu.group(1) : gpu.group(2);
        int index = digits == null ? 0 : Integer.parseInt(digits);
        if (index < gpuCount) {
            return new DeviceChoice("gpu(" + index + ")", false, "gpu(" + index + ") as configured");
        }
        return new DeviceChoice("", true, "device = " + request + " is configured but the engine sees " + gpuCount
                + " GPU(s)");
    }
}
