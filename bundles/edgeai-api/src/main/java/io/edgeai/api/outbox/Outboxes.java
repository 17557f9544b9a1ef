package io.edgeai.api.outbox;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/** Opens the gateway's outboxes; an outbox keeps what it holds across restarts of its user and of the gateway. */
@ProviderType
public interface Outboxes {

    /**
     * The outbox of this name (letters, digits, '-' and '_'), created when new.
     *
     * @param maxMessages most messages kept; beyond, {@code overflow} decides which one goes (counted)
     * @param batch most messages one {@link Outbox#take} may hand out (1 = one at a time)
     */
    Outbox open(String name, long maxMessages, Overflow overflow, int batch) throws IOException;

    /** What goes when an outbox is full. */
    enum Overflow {
        DROP_OLDEST, DROP_NEWEST;

        /** {@code drop-oldest} or {@code drop-newest} as in configuration files; anything else is refused. */
        public static Overflow parse(String text) {
            return switch (text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "drop-oldest" -> DROP_OLDEST;
                case "drop-newest" -> DROP_NEWEST;
                default -> throw new IllegalArgumentException("overflow must be drop-oldest or drop-newest, not '"
                        + text + "'");
            };
        }
    }
}
