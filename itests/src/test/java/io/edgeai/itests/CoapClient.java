package io.edgeai.itests;

import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** libcoap's {@code coap-client-notls}, one confirmable JSON POST, everything it printed (stdout and stderr). */
final class CoapClient {

    private CoapClient() {
    }

    /** Posts {@code json} (content-format 50) to {@code uri}; {@code options} go first (e.g. {@code -v 6}). */
    static String postJson(String uri, String json, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("coap-client-notls"));
        command.addAll(List.of(options));
        command.addAll(List.of("-B", "20", "-m", "post", "-t", "50", "-e", json, uri));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("coap-client did not finish", client.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
