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

    /** What curl got: the status, the content type, the response headers (names in lower case) and the body. */
    record Reply(int status, String contentType, java.util.Map<String, String> headers, String body) {
    }

    /** Calls the URL with curl's further arguments (method, headers, data) and returns the whole reply. */
    static Reply call(String url, String... args) throws Exception {
        java.nio.file.Path body = java.nio.file.Files.createTempFile("curl", ".body");
        java.nio.file.Path head = java.nio.file.Files.createTempFile("curl", ".head");
        try {
            List<String> command = new ArrayList<>(List.of("-o", body.toString(), "-D", head.toString(), "-w",
                    "%{http_code} %{content_type}"));
            command.addAll(List.of(args));
            command.add(url);
            String[] codeAndType = (run(command.toArray(new String[0])) + " ").split(" ", 2);
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (String line : java.nio.file.Files.readAllLines(head)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            return new Reply(Integer.parseInt(codeAndType[0]), codeAndType[1].trim(), headers,
                    java.nio.file.Files.readString(body));
        } finally {
            java.nio.file.Files.deleteIfExists(body);
            java.nio.file.Files.deleteIfExists(head);
        }
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
        return probe(base).contains("no result yet for device nobody");
    }

    private static String probe(String base) throws Exception {
        return run("--connect-timeout", "2", "--max-time", "5", "-w", " %{http_code}",
                base + "/api/v1/predictions/nobody");
    }

    /**
     * Waits until the gateway's telemetry servlet answers at base; when it does not in time, the failure says what the
     * last probe got (curl's status 000: nothing listens or nothing answered).
     */
    static void awaitServlet(String base, java.time.Duration within) {
        String[] last = {"nothing yet"};
        org.awaitility.Awaitility.await().atMost(within).untilAsserted(() -> {
            last[0] = probe(base);
            org.junit.Assert.assertTrue("the telemetry servlet at " + base + " answered: " + last[0],
                    last[0].contains("no result yet for device nobody"));
        });
    }
}
