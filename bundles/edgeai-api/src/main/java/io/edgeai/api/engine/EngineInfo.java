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
 * @param reason why the state is what it is (a failure, a requested GPU the engine does not see); empty when nothing
 *     to say
 * @param library the libtorch the engine loads, e.g. {@code libtorch 2.7.1 (CUDA build cu128) at /opt/libtorch/lib}
 * @param cuda the CUDA build and the GPUs it sees, e.g. {@code cu128, 1 GPU(s) visible}; empty for a CPU build
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
        String reason,
        String library,
        String cuda) {

    public EngineInfo {
        devices = List.copyOf(devices);
    }

    /** Without saying which libtorch (as before 1.1). */
    public EngineInfo(String name, String version, String djlVersion, String device, List<String> devices,
            int interOpThreads, int intraOpThreads, EngineState state, String reason) {
        this(name, version, djlVersion, device, devices, interOpThreads, intraOpThreads, state, reason, "", "");
    }
}
