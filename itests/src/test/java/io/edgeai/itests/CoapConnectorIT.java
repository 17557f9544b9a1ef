package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.edgeai.api.connector.Connector;
import java.io.File;


import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * The CoAP connector against a client nobody here wrote: libcoap's {@code coap-client-notls}. CON and NON posts,
 * block-wise transfer, observe, /.well-known/core, and every kind of bad input with its CoAP error and its counter.
 */
public class CoapConnectorIT extends EdgeAiTestSupport {

    /** Where the connector listens (a free port the support base chose), as the connector reports it. */
    private String base;
    private String secureBase;

    @Override
    protected Option[] additionalOptions() {
        // one device key: identity it-psk, key "it-secret"
        return new Option[] {editConfigurationFilePut("etc/edgeai-coap-psk.properties", "it-psk",
                Base64.getEncoder().encodeToString("it-secret".getBytes(StandardCharsets.UTF_8))),
            // few, so that a test can see requests beyond the bound handled unremembered
            editConfigurationFilePut("etc/io.edgeai.connector.coap.cfg", "maxRememberedRequests", "64")};
    }

    /** What coap-client printed: the payload on stdout, a 4.xx/5.xx code and diagnostic on stderr. */
    private record Reply(String out, String err) {
    }

    private Reply coap(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("coap-client-notls", "-B", "20"));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    private static Reply run(List<String> command) throws Exception {
        Path out = Files.createTempFile("coap", ".out");
        Path err = Files.createTempFile("coap", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(command.get(0) + " did not finish", process.waitFor(60, TimeUnit.SECONDS));
        Reply reply = new Reply(Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return reply;
    }

    private Reply post(String device, String contentFormat, String body, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", "post", "-t", contentFormat, "-e", body));
        args.addAll(Arrays.asList(extra));
        args.add(base + "/telemetry/" + device);
        return coap(args.toArray(new String[0]));
    }

    private Connector connector() {
        Connector coap = waitForService(Connector.class, "(connector.name=coap)");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> coap.health().status().name().equals("UP"));
        base = "coap://127.0.0.1:" + port(coap.endpoint(), "coap");
        secureBase = "coaps://127.0.0.1:" + port(coap.endpoint(), "coaps");
        return coap;
    }

    @Test
    public void confirmableAndNonConfirmablePostsAreAnsweredWithTheNormalizedReading() throws Exception {
        connector();
        Reply con = post("con1", "50", "{\"ts\": 1764450000000, \"values\": {\"temperature\": 21.5}}");
        assertEquals(answer("con1", 1764450000000L, "\"temperature\":21.5"), con.out().trim());
        Reply non = post("non1", "application/json", "{\"values\": {\"humidity\": 40.2}}", "-N");
        assertTrue(non.out() + non.err(), non.out().contains("\"deviceId\":\"non1\"")
                && non.out().contains("\"humidity\":40.2"));
        Reply senml = post("senml1", "110", "[{\"bn\": \"senml1/\", \"n\": \"t\", \"v\": 3}]");
        assertTrue(senml.out(), senml.out().contains("\"senml1/t\":3.0"));
    }

    @Test
    public void badInputGetsTheRightCoapErrorIsCountedAndTheNextGoodMessageWorks() throws Exception {
        Connector coap = connector();
        Map<String, Long> before = ConnectorCounts.of(coap);

        assertTrue(post("bad", "50", "{\"values\": {\"t\": NaN}}").err().startsWith("4.00"));
        assertTrue(post("bad", "50", "{\"values\": {\"t\": Infinity}}").err().startsWith("4.00"));
        assertTrue(post("bad", "50", "{\"values\": ").err().startsWith("4.00"));
        assertTrue(post("bad", "50", "{\"ts\": 1}").err().startsWith("4.00"));
        assertTrue(post("bad", "0", "t=1").err().startsWith("4.15"));
        assertTrue(coap("-m", "post", "-t", "50", base + "/telemetry/bad").err().startsWith("4.00"));
        assertTrue(coap("-m", "get", base + "/no/such/path").err().startsWith("4.04"));

        File megabyte = File.createTempFile("coap", ".json");
        Files.write(megabyte.toPath(), new byte[1_000_000]);
        Reply tooLarge = coap("-m", "post", "-t", "50", "-b", "1024", "-f", megabyte.getPath(), base + "/telemetry/bad");
        assertTrue(tooLarge.err(), tooLarge.err().startsWith("4.13"));
        Files.delete(megabyte.toPath());

        Reply good = post("afterBad", "50", "{\"values\": {\"t\": 1}}");
        assertTrue(good.out(), good.out().contains("\"afterBad\""));

        Map<String, Long> after = ConnectorCounts.of(coap);
        assertEquals(2, delta(before, after, "rejected.non_finite"));
        assertEquals(2, delta(before, after, "rejected.malformed") + delta(before, after, "rejected.missing_field"));
        assertEquals(1, delta(before, after, "rejected.unsupported_format"));
        assertEquals(1, delta(before, after, "rejected.empty"));
        assertEquals(1, delta(before, after, "rejected.unknown_resource"));
        assertEquals(1, delta(before, after, "rejected.too_large"));
        assertEquals(1, delta(before, after, "accepted"));
        assertEquals(9, delta(before, after, "received"));
        String listing = executeCommand("edgeai:connector-list");
        assertTrue(listing, listing.contains("coap") && listing.contains("UP") && listing.contains("non_finite=2"));
        // counted, not logged line by line (a sender could fill the log with them)
        assertTrue(java.nio.file.Files.readAllLines(java.nio.file.Path.of(System.getProperty("karaf.data"), "log",
                "karaf.log")).stream().noneMatch(l -> l.contains("did not find resource")));
    }


    @Test
    public void datagramsThatAreNoCoapAreCountedAndTheNextGoodMessageWorks() throws Exception {
        Connector coap = connector();
        long before = ConnectorCounts.of(coap).getOrDefault("rejected.malformed_datagram", 0L);
        java.util.Random random = new java.util.Random(14);
        int port = Integer.parseInt(port(coap.endpoint(), "coap"));
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
            // in batches of 50, each counted before the next is sent: UDP may drop a burst on a busy machine
            for (int sent = 0; sent < 500;) {
                for (int i = 0; i < 50; i++, sent++) {
                    byte[] garbage = new byte[8 + random.nextInt(64)];
                    random.nextBytes(garbage);
                    // version 1, any type, a token length of 9-15 bytes (RFC 7252 reserves it: a format error)
                    garbage[0] = (byte) (0x40 | (random.nextInt(4) << 4) | (9 + random.nextInt(7)));
                    socket.send(new java.net.DatagramPacket(garbage, garbage.length,
                            java.net.InetAddress.getLoopbackAddress(), port));
                }
                int expected = sent;
                await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                        ConnectorCounts.of(coap).getOrDefault("rejected.malformed_datagram", 0L) - before == expected);
            }
        }
        Reply good = post("afterGarbage", "50", "{\"values\": {\"t\": 1}}");
        assertTrue(good.out(), good.out().contains("\"afterGarbage\""));
    }

    /** A confirmable POST of {@code json} to telemetry/{device} as one datagram, with message id {@code mid}. */
    private static byte[] confirmablePost(int mid, String device, String json) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x41, 0x02, (byte) (mid >> 8), (byte) mid, 0x2a}); // CON POST, token 0x2a
        byte[] telemetry = "telemetry".getBytes(StandardCharsets.US_ASCII);
        byte[] id = device.getBytes(StandardCharsets.US_ASCII); // shorter than 13
        out.write(0xB0 | telemetry.length); // Uri-Path (11)
        out.writeBytes(telemetry);
        out.write(id.length); // Uri-Path again
        out.writeBytes(id);
        out.writeBytes(new byte[] {0x11, 50}); // Content-Format (12): application/json
        out.write(0xFF);
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Sends the datagram and returns the payload of the 2.04 that acknowledges it. */
    private static String exchange(java.net.DatagramSocket socket, int port, byte[] request) throws Exception {
        socket.send(new java.net.DatagramPacket(request, request.length, java.net.InetAddress.getLoopbackAddress(),
                port));
        byte[] buffer = new byte[2048];
        while (true) {
            java.net.DatagramPacket answer = new java.net.DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            byte[] a = Arrays.copyOf(answer.getData(), answer.getLength());
            // ACK of this message id (a late answer to an earlier request is skipped)
            if ((a[0] & 0x30) == 0x20 && a[2] == request[2] && a[3] == request[3]) {
                assertEquals("2.04 Changed", 0x44, a[1]);
                String text = new String(a, StandardCharsets.UTF_8);
                return text.substring(text.indexOf('{'));
            }
        }
    }

    @Test
    public void aRetransmissionIsAnsweredOnceHandledAndTheRememberedRequestsAreBounded() throws Exception {
        Connector coap = connector();
        int port = Integer.parseInt(port(coap.endpoint(), "coap"));
        Map<String, Long> before = ConnectorCounts.of(coap);
        List<java.net.DatagramSocket> peers = new ArrayList<>();
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout(10_000);
            byte[] first = confirmablePost(1000, "retx1", "{\"values\": {\"t\": 1}}");
            String answer = exchange(socket, port, first);
            assertTrue(answer, answer.contains("\"retx1\""));
            // the same datagram again (the ACK was lost, say): the same answer, the reading not handled twice
            assertEquals(answer, exchange(socket, port, first));
            // 100 more requests from 10 other source ports (10 more peers, as a flood from many ports looks): the
            // connector remembers 64 requests in all (maxRememberedRequests), the later ones are handled unremembered
            byte[] last = null;
            for (int peer = 0; peer < 10; peer++) {
                java.net.DatagramSocket other = new java.net.DatagramSocket();
                peers.add(other);
                other.setSoTimeout(10_000);
                for (int mid = 1001; mid <= 1010; mid++) {
                    last = confirmablePost(mid, "retx2", "{\"values\": {\"t\": " + mid + "}}");
                    exchange(other, port, last);
                }
            }
            exchange(peers.get(9), port, last); // not remembered: handled once more (at least once)
            assertEquals(answer, exchange(socket, port, first)); // remembered before the bound: answered again
            exchange(socket, port, confirmablePost(1001, "retx1", "{\"values\": {\"t\": 2}}"));
        } finally {
            peers.forEach(java.net.DatagramSocket::close);
        }
        assertEquals(1 + 100 + 1 + 1, delta(before, ConnectorCounts.of(coap), "accepted"));
    }

    @Test
    public void blockwiseTransferCarriesALargeReading() throws Exception {
        connector();
        StringBuilder json = new StringBuilder("{\"values\": {");
        for (int i = 0; i < 200; i++) {
            json.append(i == 0 ? "" : ", ").append("\"value").append(i).append("\": ").append(i * 0.5);
        }
        File file = File.createTempFile("coap", ".json");
        Files.writeString(file.toPath(), json.append("}}").toString());
        assertTrue("needs several blocks", file.length() > 2048);
        Reply reply = coap("-m", "post", "-t", "50", "-b", "64", "-f", file.getPath(), base + "/telemetry/block1");
        Files.delete(file.toPath());
        assertTrue(reply.out() + reply.err(), reply.out().contains("\"value199\":99.5"));
    }

    @Test
    public void predictionsAreObservable() throws Exception {
        connector();
        post("obs1", "50", "{\"values\": {\"t\": 1}}");
        Path out = Files.createTempFile("observe", ".out");
        Process observer = new ProcessBuilder("coap-client-notls", "-s", "30", "-m", "get", base + "/predictions/obs1")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Files.readString(out).contains("\"t\":1.0"));
            post("obs1", "50", "{\"values\": {\"t\": 2}}");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Files.readString(out).contains("\"t\":2.0"));
        } finally {
            observer.destroy();
            observer.waitFor(10, TimeUnit.SECONDS);
            Files.delete(out);
        }
    }

    @Test
    public void dtlsKeysKeepDevicesApartAndAreReadLive() throws Exception {
        Connector coap = connector();
        Map<String, Long> before = ConnectorCounts.of(coap);
        String body = "{\"values\": {\"t\": 7}}";
        Reply ok = dtls("it-psk", "it-secret", "post", "/telemetry/it-psk", body);
        assertTrue(coap.health().reason() + ": " + ok.out() + ok.err(), ok.out().contains("\"deviceId\":\"it-psk\""));
        // an identity acts only for its own device: no readings for another, no reading of another's results
        assertTrue(dtls("it-psk", "it-secret", "post", "/telemetry/someone-else", body).err().contains("4.03"));
        post("someone-else", "50", body);
        assertTrue(dtls("it-psk", "it-secret", "get", "/predictions/someone-else", null).err().contains("4.03"));
        assertTrue(dtls("it-psk", "it-secret", "get", "/predictions/it-psk", null).out()
                .contains("\"deviceId\":\"it-psk\""));
        Reply wrongKey = dtls("it-psk", "not-the-key", "post", "/telemetry/it-psk", body);
        assertFalse("an answer without the right key: " + wrongKey.out(), wrongKey.out().contains("deviceId"));
        // plain CoAP cannot claim a device that has a key, nor read its results
        Reply plain = post("it-psk", "50", body);
        assertTrue(plain.err(), plain.err().contains("4.01"));
        assertTrue(coap("-m", "get", base + "/predictions/it-psk").err().contains("4.01"));

        // a key added to the file applies without a restart; the device is then DTLS-only too
        Path keys = Path.of(System.getProperty("karaf.etc"), "edgeai-coap-psk.properties");
        Files.writeString(keys, "it-late = " + Base64.getEncoder().encodeToString(
                "late-secret".getBytes(StandardCharsets.UTF_8)) + "\n", StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                dtls("it-late", "late-secret", "post", "/telemetry/it-late", body).out().contains("\"deviceId\""));
        assertTrue(post("it-late", "50", body).err().contains("4.01"));

        Map<String, Long> after = ConnectorCounts.of(coap);
        assertEquals(3, delta(before, after, "accepted"));
        assertEquals(5, delta(before, after, "rejected.unauthorized"));
    }

    /**
     * Predictions on demand are for devices with a key (over DTLS) and for this machine; the same request over plain
     * CoAP from the network gets 4.01 with the ways in, counted, as HTTP asks a credential with the predict scope.
     */
    @Test
    public void predictionsOverPlainCoapAreForThisMachineAndDevicesWithAKey() throws Exception {
        Connector coap = connector();
        Map<String, Long> before = ConnectorCounts.of(coap);
        String rows = "{\"inputs\": [[1, 2]]}";
        // past the gate, the model is unknown: 4.04
        Reply local = coap("-m", "post", "-t", "50", "-e", rows, base + "/models/no-such-model/predict");
        assertTrue(local.err(), local.err().startsWith("4.04"));
        Reply keyed = dtls("it-psk", "it-secret", "post", "/models/no-such-model/predict", rows);
        assertTrue(keyed.err(), keyed.err().startsWith("4.04"));
        // from this machine's network address, as a device on the network sends it
        String network = "coap://" + networkAddress() + ":" + port(coap.endpoint(), "coap");
        Reply refused = coap("-m", "post", "-t", "50", "-e", rows, network + "/models/no-such-model/predict");
        assertTrue(refused.err(), refused.err().startsWith("4.01") && refused.err().contains("coaps://"));
        // readings from the network are still welcome
        Reply reading = coap("-m", "post", "-t", "50", "-e", "{\"values\": {\"t\": 1}}", network
                + "/telemetry/net1");
        assertTrue(reading.out() + reading.err(), reading.out().contains("\"deviceId\":\"net1\""));
        Map<String, Long> after = ConnectorCounts.of(coap);
        assertEquals(1, delta(before, after, "rejected.unauthorized"));
        assertEquals(2, delta(before, after, "rejected.unknown_resource"));
    }

    /** An IPv4 address of this machine that is not a loopback one (the connector listens on all of them). */
    private static String networkAddress() throws Exception {
        for (java.net.NetworkInterface nic : java.util.Collections.list(
                java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (java.net.InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                if (address instanceof java.net.Inet4Address && !address.isLinkLocalAddress()) {
                    return address.getHostAddress();
                }
            }
        }
        throw new AssertionError("this test sends from a network address: the machine has no IPv4 address but"
                + " loopback");
    }

    private Reply dtls(String identity, String key, String method, String path, String body) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("coap-client-openssl", "-B", "5", "-u", identity,
                "-k", key, "-m", method));
        if (body != null) {
            command.addAll(List.of("-t", "50", "-e", body));
        }
        command.add(secureBase + path);
        return run(command);
    }

    @Test
    public void wellKnownCoreListsTheResources() throws Exception {
        connector();
        String core = coap("-m", "get", base + "/.well-known/core").out();
        assertTrue(core, core.contains("</telemetry>") && core.contains("</predictions>;obs"));
    }

}
