package io.edgeai.shell.internal;

import io.edgeai.api.engine.EngineInfo;
import io.edgeai.api.engine.EngineRuntime;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "edgeai", name = "engine", description = "Shows the deep-learning engine, its version, the libtorch and CUDA it uses and its device"
        + " (STANDBY: not loaded until a model or a training job needs it); fails when the engine is not running")
public class EngineCommand implements Action {

    // optional: the shell bundle's commands register together, and edgeai-core runs without the engine
    @Reference(optional = true)
    EngineRuntime engine;

    @Option(name = "--load", description = "Load the engine now if it is in standby, and wait for it (up to"
            + " --timeout seconds): checks that libtorch and the device work before a model needs them")
    boolean load;

    @Option(name = "--timeout", description = "Seconds --load waits for the engine (default 120)")
    int timeout = 120;

    @Override
    public Object execute() throws CommandException {
        if (engine == null) {
            System.out.println("No engine runtime: install feature edgeai-djl");
            return null;
        }
        if (load) {
            try {
                engine.start().toCompletableFuture().get(timeout, TimeUnit.SECONDS);
            } catch (ExecutionException failed) {
                // shown below, with the reason, and the command fails
            } catch (TimeoutException e) {
                throw new CommandException("The engine did not load within " + timeout + " s (" + engine.info().state()
                        + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException("Interrupted while the engine loaded");
            }
        }
        EngineInfo info = engine.info();
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value");
        table.addRow().addContent("Engine", info.name());
        table.addRow().addContent("Version", info.version());
        table.addRow().addContent("DJL", info.djlVersion());
        table.addRow().addContent("State", info.state());
        table.addRow().addContent("Device", info.device());
        table.addRow().addContent("Devices", String.join(", ", info.devices()));
        table.addRow().addContent("Library", info.library());
        table.addRow().addContent("CUDA", info.cuda().isEmpty() ? "none (a CPU build)" : info.cuda());
        table.addRow().addContent("Inter-op threads", info.interOpThreads());
        table.addRow().addContent("Intra-op threads", info.intraOpThreads());
        table.addRow().addContent("Reason", info.reason());
        table.print(System.out);
        if (info.state() == io.edgeai.api.engine.EngineState.FAILED) {
            // a script checking the engine gets a failure, with the reason
            throw new CommandException("The engine is not running: " + info.reason());
        }
        return null;
    }
}
