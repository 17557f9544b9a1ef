package io.edgeai.shell.internal;

import io.edgeai.api.security.ApiAccess;
import io.edgeai.api.security.ApiCredential;
import io.edgeai.api.security.ApiScope;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "credential-add", description = "Adds a named HTTP API credential and prints its"
        + " token, once (options before the name: credential-add -r 20 -d pump-* line-3 ingest): the gateway keeps only its SHA-256 (etc/edgeai-api-credentials.properties)")
public class CredentialAddCommand implements Action {

    @Reference(optional = true)
    ApiAccess access;

    @Argument(index = 0, name = "name", required = true, description = "letters, digits, '.', '_' or '-'")
    String name;

    @Argument(index = 1, name = "scopes", required = true, description = "comma-separated: ingest, predict, read,"
            + " models, training, admin")
    String scopes;

    @Option(name = "--rate", aliases = "-r", description = "quota in requests per second (0: none)")
    double rate;

    @Option(name = "--burst", aliases = "-b", description = "requests allowed at once before the rate applies"
            + " (default: one second's worth)")
    int burst;

    @Option(name = "--devices", aliases = "-d", description = "comma-separated device ids or prefix-* it may send"
            + " and read for (default: every device)")
    String devices;

    @Override
    public Object execute() throws Exception {
        if (access == null) {
            throw new CommandException("No API access service: feature edgeai-core is not running");
        }
        Set<ApiScope> parsed = EnumSet.noneOf(ApiScope.class);
        for (String label : scopes.split(",")) {
            if (!label.isBlank()) {
                parsed.add(ApiScope.parse(label).orElseThrow(() -> new IllegalArgumentException("unknown scope '"
                        + label.trim() + "': ingest, predict, read, models, training, admin")));
            }
        }
        List<String> deviceList = devices == null ? List.of()
                : java.util.Arrays.stream(devices.split(",")).map(String::trim).filter(d -> !d.isEmpty()).toList();
        int effectiveBurst = burst > 0 ? burst : (int) Math.max(1, Math.ceil(rate));
        String token = access.add(new ApiCredential(name, parsed, rate, effectiveBurst, deviceList));
        System.out.println("Credential " + name + " added. Its token, shown only now:");
        System.out.println(token);
        return null;
    }
}
