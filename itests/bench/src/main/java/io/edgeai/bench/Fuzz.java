package io.edgeai.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Mutation fuzzing of a running gateway, one protocol at a time: valid messages of that protocol (seeds) are mutated
 * (bits flipped, bytes replaced, inserted, deleted, the message cut or doubled) and sent; every answer is classified.
 * Prints the inputs sent, the answers by class, and what was not a protocol-correct answer ({@code bad}).
 *
 * <pre>
 * Fuzz coap host port inputs seed      CoAP datagrams; answers: CoAP messages (class 2/4/5, ACK, RST) or none
 * Fuzz mqtt host port inputs seed user password
 *                                      per connection a valid CONNECT, then mutated packets until the gateway closes
 *                                      it; answers: MQTT packets, or the connection closed
 * Fuzz http base-url inputs seed       mutated JSON bodies to POST /api/v1/telemetry/fuzz; answers: 200, or 4xx/5xx
 *                                      with application/problem+json
 * </pre>
 */
public final class Fuzz {

    private static final Map<String, Long> ANSWERS = new TreeMap<>();

    private Fuzz() {
    }

    public static void main(String[] args) throws Exception {
        String protocol = args[0];
        int inputs;
        long started = System.nanoTime();
        switch (protocol) {
            case "coap" -> {
                inputs = Integer.parseInt(args[3]);
                coap(args[1], Integer.parseInt(args[2]), inputs, new Random(Long.parseLong(args[4])));
            }
            case "mqtt" -> {
                inputs = Integer.parseInt(args[3]);
                mqtt(args[1], Integer.parseInt(args[2]), inputs, new Random(Long.parseLong(args[4])), args[5], args[6]);
            }
            case "http" -> {
                inputs = Integer.parseInt(args[2]);
                http(args[1], inputs, new Random(Long.parseLong(args[3])));
            }
            default -> throw new IllegalArgumentException("coap, mqtt or http");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%s: %d inputs in %.1f s; answers %s%n", protocol, inputs, seconds, ANSWERS);
    }

    private static void count(String answer) {
        ANSWERS.merge(answer, 1L, Long::sum);
    }

    /** A copy of the seed with 1-4 mutations. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] data = seed.clone();
        for (int m = 1 + random.nextInt(4); m > 0; m--) {
            int at = data.length == 0 ? 0 : random.nextInt(data.length);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (data.length > 0) {
                        data[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    if (data.length > 0) {
                        data[at] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> data = splice(data, at, new byte[] {(byte) random.nextInt(256)}, 0);
                case 3 -> data = data.length > 1 ? splice(data, at, new byte[0], 1) : data;
                case 4 -> data = java.util.Arrays.copyOf(data, random.nextInt(data.length + 1));
                default -> data = splice(data, at, java.util.Arrays.copyOfRange(data, at, Math.min(data.length,
                        at + 1 + random.nextInt(16))), 0);
            }
        }
        return data;
    }

    private static byte[] splice(byte[] data, int at, byte[] insert, int remove) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(data, 0, at);
        out.writeBytes(insert);
        out.write(data, Math.min(data.length, at + remove), Math.max(0, data.length - at - remove));
        return out.toByteArray();
    }

    // --- CoAP

    private static byte[] coapPost(int mid, String device, String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x42); // version 1, CON, token length 2
        out.write(0x02); // POST
        out.write(mid >> 8);
        out.write(mid & 0xff);
        out.write(0x12);
        out.write(0x34);
        byte[] first = "telemetry".getBytes(StandardCharsets.US_ASCII);
        out.write(0xB0 | first.length); // Uri-Path (11)
        out.writeBytes(first);
        byte[] second = device.getBytes(StandardCharsets.US_ASCII);
        out.write(second.length);   // Uri-Path again (delta 0)
        out.writeBytes(second);
        out.write(0x11);            // Content-Format (12): delta 1, length 1
        out.write(50);              // application/json
        out.write(0xFF);
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void coap(String host, int port, int inputs, Random random) throws IOException {
        byte[][] seeds = {coapPost(1, "fuzz1", "{\"values\":{\"t\":21.5}}"),
            coapPost(2, "fuzz2", "[{\"bn\":\"fuzz2/\",\"n\":\"t\",\"v\":3}]"),
            {0x42, 0x01, 0, 3, 0x12, 0x34, (byte) 0xBB, 'p', 'r', 'e', 'd', 'i', 'c', 't', 'i', 'o', 'n', 's', 5, 'f', 'u',
                'z', 'z', '1'}};
        InetAddress address = InetAddress.getByName(host);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2);
            byte[] buffer = new byte[2048];
            for (int i = 0; i < inputs; i++) {
                byte[] input = mutate(seeds[random.nextInt(seeds.length)], random);
                socket.send(new DatagramPacket(input, input.length, address, port));
                try {
                    while (true) {
                        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                        socket.receive(answer);
                        count(coapClass(answer.getData(), answer.getLength()));
                    }
                } catch (SocketTimeoutException none) {
                    // no (more) answer to this one: CoAP ignores what it cannot read
                }
            }
        }
    }

    static String coapClass(byte[] data, int length) {
        if (length < 4 || (data[0] & 0xC0) != 0x40) {
            return "bad:not-coap";
        }
        int type = (data[0] >> 4) & 0x3;
        int code = data[1] & 0xff;
        if (code == 0) {
            return type == 3 ? "RST" : type == 2 ? "empty ACK" : "bad:empty " + type;
        }
        int codeClass = code >> 5;
        return switch (codeClass) {
            case 2, 4, 5 -> codeClass + ".xx";
            default -> "bad:code " + codeClass + "." + (code & 0x1f);
        };
    }

    // --- MQTT

    private static byte[] mqttConnect(String clientId, String user, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 60});
        for (String field : new String[] {clientId, user, password}) {
            byte[] text = field.getBytes(StandardCharsets.UTF_8);
            body.write(text.length >> 8);
            body.write(text.length & 0xff);
            body.writeBytes(text);
        }
        return packet(0x10, body.toByteArray());
    }

    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] mqttPublish(String topic, String payload, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        body.write(name.length >> 8);
        body.write(name.length & 0xff);
        body.writeBytes(name);
        if (qos > 0) {
            body.write(0);
            body.write(7);
        }
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return packet(0x30 | (qos << 1), body.toByteArray());
    }

    private static void mqtt(String host, int port, int inputs, Random random, String user, String password)
            throws IOException {
        byte[][] seeds = {mqttPublish("edgeai/telemetry/fuzz1", "{\"values\":{\"t\":21.5}}", 1),
            mqttPublish("edgeai/telemetry/fuzz2", "{\"values\":{\"t\":1}}", 0),
            packet(0x82, new byte[] {0, 9, 0, 20, 'e', 'd', 'g', 'e', 'a', 'i', '/', 'p', 'r', 'e', 'd', 'i', 'c', 't',
                'i', 'o', 'n', 0}),
            mqttConnect("fuzz-again", user, password), packet(0xC0, new byte[0])};
        int sent = 0;
        int connection = 0;
        while (sent < inputs) {
            try (Socket socket = new Socket(host, port)) {
                socket.setSoTimeout(2000);
                InputStream in = socket.getInputStream();
                socket.getOutputStream().write(mqttConnect("fuzz-" + connection++, user, password));
                int connack = in.read();
                count(connack == 0x20 ? "CONNACK" : "bad:no CONNACK " + connack);
                in.skipNBytes(3);
                socket.setSoTimeout(1);
                int silent = 0;
                while (sent < inputs) {
                    if (silent >= 50) {
                        // a mutated length may have made the broker wait for megabytes: start over
                        count("given up after 50 inputs without an answer");
                        break;
                    }
                    byte[] input = mutate(seeds[random.nextInt(seeds.length)], random);
                    sent++;
                    try {
                        socket.getOutputStream().write(input);
                        int answer = in.read();
                        if (answer < 0) {
                            count("closed");
                            break;
                        }
                        count(mqttClass(answer));
                        in.skipNBytes(in.available());
                        silent = 0;
                    } catch (SocketTimeoutException none) {
                        silent++; // nothing to answer (QoS 0, or a packet still incomplete)
                    } catch (IOException reset) {
                        count("closed");
                        break;
                    }
                }
            } catch (IOException refused) {
                count("bad:connect failed " + refused.getClass().getSimpleName());
            }
        }
    }

    static String mqttClass(int header) {
        int type = header >> 4;
        return switch (type) {
            case 2 -> "CONNACK";
            case 3 -> "PUBLISH";
            case 4 -> "PUBACK";
            case 5 -> "PUBREC";
            case 7 -> "PUBCOMP";
            case 9 -> "SUBACK";
            case 11 -> "UNSUBACK";
            case 13 -> "PINGRESP";
            case 14 -> "DISCONNECT";
            default -> "bad:packet type " + type;
        };
    }

    // --- HTTP

    private static void http(String base, int inputs, Random random) throws Exception {
        byte[][] seeds = {"{\"ts\": 1764450000000, \"values\": {\"temperature\": 21.5, \"humidity\": 40.2}}"
                .getBytes(StandardCharsets.UTF_8), "{\"values\": {\"t\": 1}}".getBytes(StandardCharsets.UTF_8)};
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI target = URI.create(base + "/api/v1/telemetry/fuzz");
        for (int i = 0; i < inputs; i++) {
            byte[] body = mutate(seeds[random.nextInt(seeds.length)], random);
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException failed) {
                count("bad:no answer " + failed.getClass().getSimpleName());
                continue;
            }
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (status == 200) {
                count("200");
            } else if (status >= 400 && type.startsWith("application/problem+json")) {
                count(status + " problem+json");
            } else {
                count("bad:" + status + " " + type);
            }
        }
    }
}
