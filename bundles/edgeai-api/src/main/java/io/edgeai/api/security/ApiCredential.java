package io.edgeai.api.security;

import java.util.List;
import java.util.Set;

/**
 * A named API credential as an operator sees it (never its token).
 *
 * @param name           how the operator, the logs and the metrics call it
 * @param scopes         what it may do
 * @param ratePerSecond  its quota in requests per second; 0 for none
 * @param burst          how many requests it may make at once before the rate applies (at least 1)
 * @param devices        the device ids (or {@code prefix-*}) it may send and read for; empty for every device
 */
public record ApiCredential(String name, Set<ApiScope> scopes, double ratePerSecond, int burst, List<String> devices) {

    public ApiCredential {
        scopes = Set.copyOf(scopes);
        devices = List.copyOf(devices);
    }

    /** True when this credential may act for the device (always, when it has no device list). */
    public boolean coversDevice(String device) {
        if (devices.isEmpty()) {
            return true;
        }
        if (device == null) {
            return false;
        }
        for (String pattern : devices) {
            if (pattern.endsWith("*") ? device.startsWith(pattern.substring(0, pattern.length() - 1))
                    : pattern.equals(device)) {
                return true;
            }
        }
        return false;
    }
}
