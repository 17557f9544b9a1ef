package io.edgeai.connector.mqtt.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which device ids an MQTT device account acts for, from {@code etc/edgeai-device-accounts.properties}
 * ({@code account = id, id, prefix-*}). An account without a line acts for the device named like itself. The file is
 * read again when it changed (checked at most once a second), so an operator's edit applies to the next publish or
 * subscription; a file that cannot be read keeps the last good mapping and is logged once per change.
 */
final class DeviceAccounts {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAccounts.class);
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile Map<String, List<String>> ids = Map.of();
    private volatile FileTime readAt;
    private volatile long checkedAt = System.nanoTime() - RECHECK_NANOS;

    DeviceAccounts(Path file) {
        this.file = file;
        reload();
    }

    /** True when {@code account} may act for {@code device}. */
    boolean allows(String account, String device) {
        if (account == null || device == null) {
            return false;
        }
        if (System.nanoTime() - checkedAt >= RECHECK_NANOS) {
            reload();
        }
        List<String> patterns = ids.get(account);
        if (patterns == null) {
            return account.equals(device);
        }
        for (String pattern : patterns) {
            if (pattern.endsWith("*") ? device.startsWith(pattern.substring(0, pattern.length() - 1))
                    : pattern.equals(device)) {
                return true;
            }
        }
        return false;
    }

    private synchronized void reload() {
        checkedAt = System.nanoTime();
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException absent) {
            ids = Map.of();
            readAt = null;
            return;
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}; keeping the device accounts as they were", file.getFileName(), e.toString());
            return;
        }
        if (modified.equals(readAt)) {
            return;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cannot read {}: {}; keeping the device accounts as they were", file.getFileName(), e.toString());
            readAt = modified;
            return;
        }
        Map<String, List<String>> read = new java.util.HashMap<>();
        for (String account : properties.stringPropertyNames()) {
            List<String> list = new ArrayList<>();
            for (String id : properties.getProperty(account).split(",")) {
                if (!id.isBlank()) {
                    list.add(id.trim());
                }
            }
            read.put(account.trim(), List.copyOf(list));
        }
        ids = Map.copyOf(read);
        readAt = modified;
        LOG.info("Device accounts from {}: {} account(s) with their own device lists", file.getFileName(), read.size());
    }
}
