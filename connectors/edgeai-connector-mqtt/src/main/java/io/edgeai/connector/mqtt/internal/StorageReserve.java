package io.edgeai.connector.mqtt.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free space the broker's journal must keep: below it the connector refuses new QoS 1 and 2 publishes with a
 * reason (MQTT 5 PUBACK 0x97 quota exceeded; 3.1.1 a closed connection) while there is still room to finish what was
 * acknowledged, so the journal never meets a full disk (which stops the broker's listeners for good). Free space is read
 * at most every {@value #RECHECK_MILLIS} ms; refusing ends by itself when space returns.
 */
final class StorageReserve {

    private static final Logger LOG = LoggerFactory.getLogger(StorageReserve.class);
    private static final long RECHECK_MILLIS = 250;
    private static final long MB = 1024 * 1024;

    private final Path folder;
    private final long minFreeBytes;
    private final int minFreePercent;
    private volatile long checkedAt;
    private volatile boolean low;
    private volatile long free = -1;
    private volatile long reserve;

    StorageReserve(Path folder, int minFreeMegabytes, int minFreePercent) {
        this.folder = folder;
        this.minFreeBytes = Math.max(0, minFreeMegabytes) * MB;
        this.minFreePercent = Math.max(0, Math.min(90, minFreePercent));
        this.checkedAt = System.currentTimeMillis() - RECHECK_MILLIS;
    }

    /** True while the journal's file system has less free space than the reserve. */
    boolean low() {
        long now = System.currentTimeMillis();
        if (now - checkedAt >= RECHECK_MILLIS) {
            checkedAt = now;
            check();
        }
        return low;
    }

    private synchronized void check() {
        try {
            Path existing = folder;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return;
            }
            FileStore store = Files.getFileStore(existing);
            long usable = store.getUsableSpace();
            long wanted = Math.max(minFreeBytes, store.getTotalSpace() / 100 * minFreePercent);
            boolean nowLow = usable < wanted;
            if (nowLow != low) {
                if (nowLow) {
                    LOG.warn("The broker's storage has {} MB free, below its reserve of {} MB: new QoS 1/2 publishes"
                            + " are refused until space returns (readings already acknowledged are processed)",
                            usable / MB, wanted / MB);
                } else {
                    LOG.info("The broker's storage has {} MB free again: publishes are accepted", usable / MB);
                }
            }
            free = usable;
            reserve = wanted;
            low = nowLow;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot read the free space of the broker's storage: {}", e.toString());
        }
    }

    /** For health: what is free and what must stay free. */
    String describe() {
        return (free < 0 ? "?" : Long.toString(free / MB)) + " MB free of the broker's storage, reserve "
                + reserve / MB + " MB";
    }
}
