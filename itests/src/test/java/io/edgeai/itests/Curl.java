package io.edgeai.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** curl, silent, with a time limit; returns what it wrote to stdout (use -w for the status). */
final class Curl {

    private Curl() {
    }

    static String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "30"));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes()).trim();
        curl.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** POSTs a JSON reading {"values": {"n": n}} and returns the HTTP status. */
    static String postValue(String url, int n) throws Exception {
        return run("-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                "--data-binary", "{\"values\": {\"n\": " + n + "}}", url);
    }

    /**
     * True once the gateway's telemetry servlet answers (before it is registered, the HTTP service's own 404 comes from
     * the error page, which knows no device). A probe gives up
     * after 5 s: while Pax Web restarts Jetty (a configuration change at boot) a connection can be accepted and never
     * answered, and one such probe must not use up the caller's whole wait.
     */
    static boolean servletServes(String base) throws Exception {
        return run("--connect-timeout", "2", "--max-time", "5", base + "/api/v1/predictions/nobody")
                .contains("no result yet for device nobody");
    }
}
