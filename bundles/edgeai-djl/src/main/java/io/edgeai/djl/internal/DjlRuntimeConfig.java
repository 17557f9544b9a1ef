package io.edgeai.djl.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway DJL runtime", description = "The PyTorch engine: device and threads")
@interface DjlRuntimeConfig {

    @AttributeDefinition(description = "auto (the first GPU when one is visible, else the CPU), cpu, gpu or gpu(N);"
            + " a GPU named here must be there, or the engine does not start")
    String device() default "auto";

    @AttributeDefinition(description = "Load libtorch at start; false (the default) loads it when a model or a training"
            + " job first needs it, so an idle gateway with no model does not carry it (~80 MB). A GPU named in device"
            + " always loads at start, so that a missing one is refused at once")
    boolean preload() default false;

    @AttributeDefinition(description = "Threads between operators; 0 = 1")
    int interOpThreads() default 0;

    @AttributeDefinition(description = "Threads inside one operator; 0 = one per core. 1 (the default) leaves the"
            + " cores to the inference workers, one per core, and to the network side")
    int intraOpThreads() default 1;

    @AttributeDefinition(description = "Folder holding libtorch and libdjl_torch; empty = PYTORCH_LIBRARY_PATH")
    String libraryPath() default "";

    @AttributeDefinition(description = "DJL's own cache folder; empty = DJL's default")
    String cacheDir() default "";

    @AttributeDefinition(description = "The libtorch build in libraryPath as DJL names it (cpu, cu128, ...); empty ="
            + " read from the folder (libtorch_cuda.so, build-version). Applies after a restart")
    String flavor() default "";
}
