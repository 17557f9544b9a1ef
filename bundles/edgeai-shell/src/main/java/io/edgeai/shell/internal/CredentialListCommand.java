package io.edgeai.shell.internal;

import io.edgeai.api.security.ApiAccess;
import io.edgeai.api.security.ApiCredential;
import io.edgeai.api.security.ApiScope;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "credential-list", description = "Lists the HTTP API credentials (never their"
        + " tokens) with their scopes, quotas, devices and requests so far by outcome")
public class CredentialListCommand implements Action {

    @Reference(optional = true)
    ApiAccess access;

    @Override
    public Object execute() throws Exception {
        if (access == null) {
            throw new CommandException("No API access service: feature edgeai-core is not running");
        }
        Map<String, Map<String, Long>> counts = access.counts();
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Scopes");
        table.column("Quota");
        table.column("Devices");
        table.column("Requests");
        for (ApiCredential credential : access.credentials()) {
            table.addRow().addContent(credential.name(),
                    String.join(",", credential.scopes().stream().sorted().map(ApiScope::label).toList()),
                    credential.ratePerSecond() > 0 ? credential.ratePerSecond() + "/s (burst " + credential.burst() + ")"
                            : "-",
                    credential.devices().isEmpty() ? "all" : String.join(",", credential.devices()),
                    requests(counts.get(credential.name())));
        }
        for (String other : new String[] {"anonymous", "local", "unknown"}) {
            if (counts.containsKey(other)) {
                table.addRow().addContent("(" + other + ")", "", "", "", requests(counts.get(other)));
            }
        }
        table.print(System.out);
        return null;
    }

    private static String requests(Map<String, Long> outcomes) {
        if (outcomes == null || outcomes.isEmpty()) {
            return "0";
        }
        StringBuilder text = new StringBuilder();
        outcomes.forEach((outcome, count) -> text.append(text.length() == 0 ? "" : " ").append(outcome).append('=')
                .append(count));
        return text.toString();
    }
}
