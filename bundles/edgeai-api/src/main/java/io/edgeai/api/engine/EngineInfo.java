package io.edgeai.api.engine;

import java.util.List;

/**
 * What the engine runtime is and where it computes.
 *
 * @param name engine name, e.g. {@code PyTorch}
 * @param version the native engine's version, e.g. {@code 2.7.1}; empty until loaded
 * @param djlVersion the DJL version driving it
 * @param device the device models run on, in DJL's notation ({@code cpu}, {@code gpu(0)})
 * @param devices every device the engine can see
 * @param interOpThreads threads between operators
 * @param intraOpThreads threads inside one operator
 * @param state loading, ready or failed
 * @param reason why the state is what it is (a failure, a fallback from a requested GPU); empty when nothing to say
 */
public record EngineInfo(
        String name,
        String version,
        String djlVersion,
        String device,
        List<String> devices,
        int interOpThreads,
        int intraOpThreads,
        EngineState state,
        String reason) {

    public EngineInfo {
        devices = List.copyOf(devices);
    }
}
