package io.edgeai.security.internal;

import io.edgeai.api.security.ApiCredential;
import io.edgeai.api.security.ApiScope;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API credentials file, {@code etc/edgeai-api-credentials.properties}: one line per credential,
 * {@code name = sha256:<hex of the token>; scopes=ingest,read; rate=20; burst=40; devices=pump-*,valve-7}
 * ({@code rate}, {@code burst} and {@code devices} optional). Only the token's SHA-256 is kept: tokens are long random
 * strings, so a hash cannot be turned back into one. A line that cannot be read is left out with its reason; the
 * others still count.
 */
final class CredentialsFile {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String HASH_PREFIX = "sha256:";

    /** One credential of the file with the hash of its token. */
    record Entry(ApiCredential credential, String tokenHash) {
    }

    /** What the file holds: the credentials that can be used, and a reason for each line that cannot. */
    record Contents(Map<String, Entry> entries, List<String> problems) {
    }

    private CredentialsFile() {
    }

    static Contents read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException absent) {
            return new Contents(Map.of(), List.of());
        }
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String name : properties.stringPropertyNames().stream().sorted().toList()) {
            try {
                entries.put(name, parse(name, properties.getProperty(name)));
            } catch (IllegalArgumentException e) {
                problems.add("credential '" + name + "' ignored: " + e.getMessage());
            }
        }
        return new Contents(Map.copyOf(entries), List.copyOf(problems));
    }

    static Entry parse(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a name is 1-64 letters, digits, '.', '_' or '-'");
        }
        String[] fields = value.split(";");
        String hash = fields[0].trim().toLowerCase(Locale.ROOT);
        if (!hash.startsWith(HASH_PREFIX) || hash.length() != HASH_PREFIX.length() + 64
                || !hash.substring(HASH_PREFIX.length()).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("the value starts with sha256:<64 hex digits>, the token's SHA-256");
        }
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        double rate = 0;
        Integer burst = null;
        List<String> devices = List.of();
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].trim();
            if (field.isEmpty()) {
                continue;
            }
            int equals = field.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("'" + field + "' is not key=value");
            }
            String key = field.substring(0, equals).trim();
            String text = field.substring(equals + 1).trim();
            switch (key) {
                case "scopes" -> {
                    for (String label : list(text)) {
                        scopes.add(ApiScope.parse(label).orElseThrow(() -> new IllegalArgumentException(
                                "unknown scope '" + label + "' (known: " + known() + ")")));
                    }
                }
                case "rate" -> rate = number(key, text);
                case "burst" -> burst = (int) Math.max(1, Math.round(number(key, text)));
                case "devices" -> devices = list(text);
                default -> throw new IllegalArgumentException("unknown key '" + key
                        + "' (known: scopes, rate, burst, devices)");
            }
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("no scopes=... given");
        }
        return new Entry(new ApiCredential(name, scopes, rate, burst == null ? defaultBurst(rate) : burst, devices),
                hash.substring(HASH_PREFIX.length()));
    }

    /** One second's worth of requests at the rate, at least one. */
    static int defaultBurst(double rate) {
        return (int) Math.max(1, Math.ceil(rate));
    }

    /** The line's value for a credential and the hash of its token. */
    static String format(ApiCredential credential, String tokenHash) {
        StringBuilder line = new StringBuilder(HASH_PREFIX).append(tokenHash).append("; scopes=")
                .append(String.join(",", credential.scopes().stream().sorted().map(ApiScope::label).toList()));
        if (credential.ratePerSecond() > 0) {
            line.append("; rate=").append(plain(credential.ratePerSecond())).append("; burst=").append(credential.burst());
        }
        if (!credential.devices().isEmpty()) {
            line.append("; devices=").append(String.join(",", credential.devices()));
        }
        return line.toString();
    }

    /**
     * Writes the file with the credential's line replaced (or removed when {@code value} is null), every other line
     * and comment as it was; through a temporary file and a move, readable by its owner only.
     */
    static void write(Path file, String name, String value) throws IOException {
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8))
                : new ArrayList<>(List.of("# Edge AI Gateway API credentials: name = sha256:<token hash>; scopes=...;"
                        + " see docs/security.md", ""));
        lines.removeIf(line -> name.equals(key(line)));
        if (value != null) {
            lines.add(name + " = " + value);
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, lines, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the file keeps the folder's permissions
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The key of a properties line, or null for comments and blank lines. */
    private static String key(String line) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
            return null;
        }
        int end = 0;
        while (end < trimmed.length() && "=: \t".indexOf(trimmed.charAt(end)) < 0) {
            end++;
        }
        return trimmed.substring(0, end);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static List<String> list(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }

    private static double number(String key, String text) {
        try {
            double value = Double.parseDouble(text);
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + text + "' is not a number >= 0");
        }
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    static String known() {
        return String.join(", ", java.util.Arrays.stream(ApiScope.values()).map(ApiScope::label).toList());
    }
}
