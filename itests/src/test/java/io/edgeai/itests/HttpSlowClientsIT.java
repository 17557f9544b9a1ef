package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.connector.Connector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Slow HTTP clients beside a normal one: more connections than Jetty has threads send their headers and then a body
 * one byte a second, or nothing at all. The normal client's readings are still answered (each within curl's 10 s), the
 * tricklers are cut off with 408 (etc/jetty.xml: minRequestDataRate), and the silent ones hold no thread
 * (delayDispatchUntilContent). A declared body beyond the limit is refused at the headers.
 */
public class HttpSlowClientsIT extends EdgeAiTestSupport {

    private static final int TRICKLERS = 250;
    private static final int SILENT = 250;

    private static Socket open(int port, String device, long contentLength) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(1000);
        String headers = "POST /api/v1/telemetry/" + device + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
        socket.getOutputStream().write(headers.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /**
     * The status of the answer waiting on the socket; 0 when none came within its timeout; -1 when the gateway closed
     * the connection (a trickler that goes on writing after the 408 may meet a reset before it reads the answer).
     */
    private static int status(Socket socket) {
        try {
            byte[] line = new byte[12];
            int read = socket.getInputStream().readNBytes(line, 0, 12);
            String text = new String(line, 0, read, StandardCharsets.US_ASCII);
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : read < 12 ? -1 : 0;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    public void slowAndSilentClientsDoNotStopTheService() throws Exception {
        Connector http = waitForService(Connector.class, "(connector.name=http)");
        String port = port(http.endpoint(), "http");
        String base = "http://127.0.0.1:" + port;
        Curl.awaitServlet(base, Duration.ofSeconds(TIMEOUT_SECONDS));

        // a body declared beyond the limit: refused at the headers, before more than its first byte is sent
        try (Socket huge = open(Integer.parseInt(port), "huge", 99_999_999_999L)) {
            huge.getOutputStream().write('{');
            huge.setSoTimeout(10_000);
            assertEquals(413, status(huge));
        }

        List<Socket> tricklers = new ArrayList<>();
        List<Socket> silent = new ArrayList<>();
        // the attacker's pace: one byte a second on each connection
        java.util.concurrent.ScheduledExecutorService trickle = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        Runnable oneByteEach = () -> {
            for (Socket socket : tricklers) {
                try {
                    // not once the answer is there: writing on after the gateway's 408 and close draws a reset,
                    // which can discard the unread 408 (all 20 checked tricklers read a reset once, in the clean verify of 65dc026)
                    if (socket.getInputStream().available() > 0) {
                        continue;
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write('{');
                    out.flush();
                } catch (IOException closed) {
                    // cut off by the gateway
                }
            }
        };
        try {
            for (int i = 0; i < TRICKLERS; i++) {
                tricklers.add(open(Integer.parseInt(port), "trickle-" + i, 1000));
            }
            for (int i = 0; i < SILENT; i++) {
                silent.add(open(Integer.parseInt(port), "silent-" + i, 1000));
            }
            trickle.scheduleAtFixedRate(oneByteEach, 0, 1, java.util.concurrent.TimeUnit.SECONDS);

            // the normal client beside them: every reading answered (curl gives up after 10 s)
            for (int n = 0; n < 10; n++) {
                String answered = Curl.run("-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "-H",
                        "Content-Type: application/json", "--data-binary", "{\"values\": {\"n\": " + n + "}}",
                        base + "/api/v1/telemetry/normal");
                assertEquals("reading " + n + " of the normal client", "200", answered);
            }
            // the tricklers are cut off with 408 Request Timeout (and the connection closed: one that goes on
            // trickling may see the reset before the answer)
            java.util.concurrent.atomic.AtomicInteger timedOut = new java.util.concurrent.atomic.AtomicInteger();
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                int refused = 0;
                for (Socket socket : tricklers.subList(0, 20)) {
                    if (!socket.isClosed()) {
                        int status = status(socket);
                        if (status == 408 || status == -1) {
                            timedOut.addAndGet(status == 408 ? 1 : 0);
                            socket.close();
                        }
                    }
                    refused += socket.isClosed() ? 1 : 0;
                }
                return refused == 20;
            });
            assertTrue("the answer of a cut-off trickler is 408", timedOut.get() > 0);
        } finally {
            trickle.shutdownNow();
            trickle.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            for (Socket socket : tricklers) {
                socket.close();
            }
            for (Socket socket : silent) {
                socket.close();
            }
        }
        assertTrue(Curl.servletServes(base));
    }
}
