package io.edgeai.shell.internal;

import io.edgeai.api.model.ModelRegistry;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes model names. */
@Service
public class ModelNameCompleter implements Completer {

    @Reference(optional = true)
    ModelRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        if (registry != null) {
            names.getStrings().addAll(registry.models());
        }
        return names.complete(session, commandLine, candidates);
    }
}
