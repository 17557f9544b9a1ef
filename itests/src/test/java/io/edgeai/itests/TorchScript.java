package io.edgeai.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Models made by plain PyTorch, as a data scientist would: Debian's python3-torch ({@code /usr/bin/python3}) scripts
 * and saves a module with {@code torch.jit.save}; the test zips it with its model.json into an archive.
 */
final class TorchScript {

    private TorchScript() {
    }

    /** Runs a Python program with Debian's interpreter (where python3-torch lives) and returns what it printed. */
    static String python(String program, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", program));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("python did not finish", process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(output, 0, process.exitValue());
        return output;
    }

    /**
     * An MLP 16 -> 32 -> 1 with seeded weights, saved as TorchScript to {@code model.pt} in the folder; prints, one
     * row per line, the outputs PyTorch computes for the inputs in {@code inputs.txt} (rows of 16 numbers).
     */
    static final String MLP = """
            import sys, torch
            folder = sys.argv[1]
            torch.manual_seed(7)
            model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1)).eval()
            scripted = torch.jit.script(model)
            torch.jit.save(scripted, folder + "/model.pt")
            rows = [[float(v) for v in line.split()] for line in open(folder + "/inputs.txt") if line.strip()]
            with torch.no_grad():
                out = scripted(torch.tensor(rows, dtype=torch.float32))
            for row in out.tolist():
                print(" ".join(repr(v) for v in row))
            """;

    /** y = sum(x) + k over 4 inputs: outputs that say which version computed them. */
    static final String SUM_PLUS = """
            import sys, torch
            class SumPlus(torch.nn.Module):
                def __init__(self, k: float):
                    super().__init__()
                    self.k = k
                def forward(self, x):
                    return x.sum(dim=1, keepdim=True) + self.k
            # traced, not scripted: scripting a class needs its source file, and this one is given with -c
            torch.jit.save(torch.jit.trace(SumPlus(float(sys.argv[2])), torch.zeros(1, 4)), sys.argv[1] + "/model.pt")
            """;

    static String modelJson(int inputs, int outputs) {
        return "{\"format\":\"torchscript\",\"inputs\":[{\"name\":\"x\",\"shape\":[-1," + inputs + "]}],"
                + "\"outputs\":[{\"name\":\"y\",\"shape\":[-1," + outputs + "]}],\"metrics\":{\"mse\":0.01}}";
    }

    /** Zips files (name to content) into an archive. */
    static Path zip(Path archive, Map<String, byte[]> files) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return archive;
    }
}
