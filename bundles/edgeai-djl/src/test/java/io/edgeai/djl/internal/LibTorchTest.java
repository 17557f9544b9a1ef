package io.edgeai.djl.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Reading a libtorch folder, as the assembly ships one and as pytorch.org's CUDA builds unpack. */
public class LibTorchTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path folder(String... files) throws Exception {
        Path lib = temp.newFolder("libtorch", "lib").toPath();
        for (String file : files) {
            Files.writeString(lib.resolve(file), "");
        }
        return lib;
    }

    @Test
    public void theAssemblysFolderIsACpuBuildWithItsGlue() throws Exception {
        LibTorch found = LibTorch.inspect(folder("libtorch.so", "libtorch_cpu.so", "libc10.so", "libdjl_torch.so")
                .toString());
        assertTrue(found.present());
        assertFalse(found.cuda());
        assertEquals("cpu", found.flavor());
        assertTrue(found.glue());
        assertTrue(found.describe(), found.describe().startsWith("libtorch (CPU build) at "));
        String hint = DjlRuntime.gpuHint(found);
        assertTrue(hint, hint.contains("install libtorch 2.7.1 built for CUDA") && hint.contains("docs/gpu.md"));
    }

    @Test
    public void aCudaDistributionSaysItsVersionAndCudaInBuildVersion() throws Exception {
        Path lib = folder("libtorch.so", "libtorch_cuda.so", "libc10_cuda.so");
        Files.writeString(lib.resolveSibling("build-version"), "2.7.1+cu128\n");
        LibTorch found = LibTorch.inspect(lib.toString());
        assertTrue(found.cuda());
        assertEquals("cu128", found.flavor());
        assertEquals("2.7.1", found.version());
        assertFalse("DJL takes the cu128 glue from its JNI jar", found.glue());
        assertEquals("libtorch 2.7.1 (CUDA build cu128) at " + lib, found.describe());
        assertTrue(DjlRuntime.gpuHint(found), DjlRuntime.gpuHint(found).contains("no GPU is visible to it: check the"
                + " NVIDIA driver (nvidia-smi)"));
    }

    @Test
    public void aCudaBuildThatDoesNotSayWhichAsksForTheFlavor() throws Exception {
        LibTorch found = LibTorch.inspect(folder("libtorch.so", "libtorch_cuda.so").toString());
        assertTrue(found.cuda());
        assertEquals("", found.flavor());
        assertTrue(DjlRuntime.gpuHint(found), DjlRuntime.gpuHint(found).contains("set flavor (e.g. cu128)"));
    }

    @Test
    public void aFlavorInTheConfigurationWinsOverTheFolder() throws Exception {
        Path lib = folder("libtorch.so", "libtorch_cuda.so");
        LibTorch configured = LibTorch.of(new DjlSettings("gpu", 1, 1, lib.toString(), "", "cu126"));
        assertEquals("cu126", configured.flavor());
        assertEquals("libtorch (CUDA build cu126) at " + lib, configured.describe());
        assertEquals("", LibTorch.of(new DjlSettings("gpu", 1, 1, lib.toString(), "", "")).flavor());
    }

    @Test
    public void aFolderWithoutLibtorchSaysSo() throws Exception {
        LibTorch found = LibTorch.inspect(temp.newFolder("empty").toString());
        assertFalse(found.present());
        assertTrue(found.describe(), found.describe().startsWith("no libtorch.so in "));
        assertEquals("libtorch from DJL's environment (PYTORCH_LIBRARY_PATH)", LibTorch.inspect("").describe());
    }
}
