package io.edgeai.shell.internal;

import io.edgeai.api.security.ApiAccess;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "credential-remove", description = "Removes an HTTP API credential: its token is"
        + " refused from the next request on")
public class CredentialRemoveCommand implements Action {

    @Reference(optional = true)
    ApiAccess access;

    @Argument(index = 0, name = "name", required = true)
    String name;

    @Override
    public Object execute() throws Exception {
        if (access == null) {
            throw new CommandException("No API access service: feature edgeai-core is not running");
        }
        if (!access.remove(name)) {
            throw new CommandException("No credential named " + name);
        }
        System.out.println("Credential " + name + " removed");
        return null;
    }
}
