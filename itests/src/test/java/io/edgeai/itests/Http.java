package io.edgeai.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** The JDK's HTTP client, for tests that send many requests (curl is one process per request). */
final class Http {

    /** Status, body and headers of an answer. */
    record Answer(int status, String body, java.util.Map<String, java.util.List<String>> headers) {

        /** The header's first value, or null. */
        String header(String name) {
            return headers.entrySet().stream().filter(e -> name.equalsIgnoreCase(e.getKey()))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private Http() {
    }

    static Answer post(String url, String contentType, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", contentType);
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(60_000);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        return answer(connection);
    }

    private static Answer answer(HttpURLConnection connection) throws IOException {
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    connection.getHeaderFields());
        }
    }

    static Answer get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(60_000);
        return answer(connection);
    }

    static Answer postJson(String url, String json) throws IOException {
        return post(url, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
}
