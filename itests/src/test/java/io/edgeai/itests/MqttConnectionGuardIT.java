package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.edgeai.api.connector.Connector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * The MQTT listener against raw sockets that are not MQTT clients: random bytes, a PUBLISH before CONNECT, a CONNECT
 * whose promised length never arrives, more connections from one address than allowed. Each is closed (not kept open
 * for good), counted by reason, and the log gets a summary, not an ERROR per connection.
 */
public class MqttConnectionGuardIT extends EdgeAiTestSupport {

    private static final int PER_ADDRESS = 5;

    @Override
    protected Option[] additionalOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/io.edgeai.connector.mqtt.cfg", "connectTimeoutSeconds", "2"),
            editConfigurationFilePut("etc/io.edgeai.connector.mqtt.cfg", "maxConnectionsPerAddress",
                    Integer.toString(PER_ADDRESS))};
    }

    /** Sends the bytes and waits for the gateway to close the connection; fails when it stays open for 15 s. */
    private static void assertClosedAfter(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            assertClosed(socket);
        }
    }

    private static void assertClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // an answer (a CONNACK, a DISCONNECT) may come before the close
            }
        } catch (SocketTimeoutException e) {
            fail("the connection is still open after 15 s");
        } catch (IOException reset) {
            // closed with a reset: closed all the same
        }
    }

    /** An MQTT 3.1.1 CONNECT with a user name and password. */
    static byte[] connect(String clientId, String user, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 60});
        for (String field : List.of(clientId, user, password)) {
            byte[] text = field.getBytes(StandardCharsets.UTF_8);
            body.write(text.length >> 8);
            body.write(text.length & 0xff);
            body.writeBytes(text);
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size()); // < 128
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    @Test
    public void connectionsThatAreNotMqttClientsAreClosedCountedAndSummedUpInTheLog() throws Exception {
        Connector mqtt = waitForService(Connector.class, "(connector.name=mqtt)");
        int port = Integer.parseInt(port(mqtt.endpoint(), "mqtt"));
        Random random = new Random(14);

        // random bytes (never HTTP's or MQTT's first bytes): 30 connections, each closed
        for (int i = 0; i < 30; i++) {
            byte[] garbage = new byte[64 + random.nextInt(200)];
            random.nextBytes(garbage);
            garbage[0] = (byte) (0x00 | random.nextInt(0x0f)); // packet type 0 is reserved in MQTT
            assertClosedAfter(port, garbage);
        }
        // a well-formed PUBLISH before any CONNECT
        byte[] topic = "edgeai/telemetry/sneaky".getBytes(StandardCharsets.US_ASCII);
        byte[] payload = "{\"values\":{\"t\":1}}".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream publish = new ByteArrayOutputStream();
        publish.write(0x30);
        publish.write(2 + topic.length + payload.length);
        publish.write(0);
        publish.write(topic.length);
        publish.writeBytes(topic);
        publish.writeBytes(payload);
        assertClosedAfter(port, publish.toByteArray());
        // a CONNECT that promises 127 bytes and sends 10: closed once connectTimeoutSeconds (2) passed
        assertClosedAfter(port, new byte[] {0x10, 0x7f, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60});

        // HTTP to the MQTT port (the broker would take it for its own HTTP transport, answer nothing, keep it open and
        // buffer a body of any size): 400 in HTTP's words, closed
        for (String request : List.of("GET / HTTP/1.1\r\nHost: gateway\r\n\r\n",
                "POST /api HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n{\"values\":")) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer, answer.startsWith("HTTP/1.1 400 Bad Request\r\n")
                        && answer.endsWith("This port speaks MQTT (3.1.1, 5), not HTTP.\n"));
            }
        }
        // password guessing: each refused in the CONNACK (0x05 not authorized), closed, counted, summed up in the log
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write(connect("guess-" + i, MQTT_USER, "guess-" + i));
                byte[] connack = socket.getInputStream().readNBytes(4);
                assertEquals("CONNACK", 0x20, connack[0]);
                assertEquals("not authorized", 0x05, connack[3]);
                assertClosed(socket);
            }
        }
        // logged-in clients that break the protocol (a reserved packet type): closed
        for (int i = 0; i < 5; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write(connect("broken-" + i, MQTT_USER, MQTT_PASSWORD));
                assertEquals("CONNACK", 0x20, socket.getInputStream().read());
                socket.getOutputStream().write(new byte[] {0, 0});
                assertClosed(socket);
            }
        }
        // a socket that says nothing, and one that says less than a protocol can be told by: closed after
        // connectTimeoutSeconds, without the broker's ERROR per connection
        assertClosedAfter(port, new byte[0]);
        assertClosedAfter(port, new byte[] {0x10, 0x0c});

        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            Map<String, Long> closed = ConnectorCounts.of(mqtt);
            return closed.getOrDefault("closed.not_mqtt", 0L) >= 31
                    && closed.getOrDefault("closed.before_connect", 0L) >= 1
                    && closed.getOrDefault("closed.no_connect", 0L) >= 3 && closed.getOrDefault("closed.http", 0L) >= 2
                    && closed.getOrDefault("closed.login_refused", 0L) >= 20;
        });

        // per address: PER_ADDRESS clients stay connected, the next one is closed, and one leaving makes room
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write(connect("guard-" + i, MQTT_USER, MQTT_PASSWORD));
                assertEquals("CONNACK", 0x20, socket.getInputStream().read());
                clients.add(socket);
            }
            try (Socket extra = new Socket("127.0.0.1", port)) {
                extra.setSoTimeout(15_000);
                extra.getOutputStream().write(connect("guard-extra", MQTT_USER, MQTT_PASSWORD));
                assertClosed(extra);
            }
            Map<String, Long> closed = ConnectorCounts.of(mqtt);
            assertTrue(closed.toString(), closed.getOrDefault("closed.connection_limit", 0L) >= 1);
            clients.remove(0).close();
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                try (Socket again = new Socket("127.0.0.1", port)) {
                    again.setSoTimeout(15_000);
                    again.getOutputStream().write(connect("guard-again", MQTT_USER, MQTT_PASSWORD));
                    return again.getInputStream().read() == 0x20;
                } catch (IOException e) {
                    return false;
                }
            });
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }

        // the log: no ERROR per connection from the broker, one line (and later a summary) from the gateway
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        String text = Files.readString(log);
        assertEquals("AMQ224096 lines", 0, text.lines().filter(l -> l.contains("AMQ224096")).count());
        assertEquals("AMQ224088 lines", 0, text.lines().filter(l -> l.contains("AMQ224088")).count());
        assertEquals("AMQ222216 lines (a WARN per refused login)", 0,
                text.lines().filter(l -> l.contains("AMQ222216")).count());
        long ours = text.lines().filter(l -> l.contains("MQTT connection closed")).count();
        assertTrue("lines about closed connections: " + ours, ours <= 2);
    }
}
