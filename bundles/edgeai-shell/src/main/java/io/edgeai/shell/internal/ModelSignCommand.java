package io.edgeai.shell.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelSigning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Service
@Command(scope = "edgeai", name = "model-sign",
        description = "Signs a model archive with an Ed25519 private key (openssl genpkey -algorithm ed25519): adds"
                + " the manifest of its files' SHA-256 digests, its signature and the key's fingerprint")
public class ModelSignCommand implements Action {

    @Reference(optional = true) // a missing service must not hold back every other edgeai command
    ModelSigning signing;

    @Argument(index = 0, name = "archive", description = "Path of the zip on the gateway", required = true)
    @Completion(FileCompleter.class)
    String archive;

    @Argument(index = 1, name = "key", description = "The private key, PKCS#8 PEM", required = true)
    @Completion(FileCompleter.class)
    String key;

    @Option(name = "--out", description = "Where the signed archive goes (default: the archive itself)")
    @Completion(FileCompleter.class)
    String out;

    @Override
    public Object execute() throws Exception {
        if (signing == null) {
            throw new CommandException("No model registry: feature edgeai-inference is not installed");
        }
        Path file = Paths.get(archive).toAbsolutePath();
        Path pem = Paths.get(key).toAbsolutePath();
        for (Path needed : new Path[] {file, pem}) {
            if (!Files.isRegularFile(needed)) {
                throw new CommandException("No file " + needed);
            }
        }
        Path target = out == null ? file : Paths.get(out).toAbsolutePath();
        try {
            String fingerprint = signing.sign(file, pem, target);
            System.out.println("Signed " + target + " with key sha256:" + fingerprint + " (trusted where its public"
                    + " key is in etc/edgeai/trust/)");
        } catch (InvalidModelException e) {
            throw new CommandException("Not signed: " + e.getMessage());
        }
        return null;
    }
}
