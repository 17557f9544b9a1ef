package io.edgeai.api.outbox;

import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One durable queue: messages go in with {@link #put} (on disk when it returns), come out oldest first with
 * {@link #take} and leave only when {@link #delivered}; what was taken and not delivered comes out again first (after
 * {@link #retry}, or when the outbox is opened again after a stop or a crash), so nothing is lost and the order is kept.
 * One thread takes; any thread puts.
 */
@ProviderType
public interface Outbox extends AutoCloseable {

    /** Keeps a message under a key (the device, for instance). False when the outbox was full and dropped it. */
    boolean put(String key, byte[] body) throws IOException;

    /**
     * The next messages, oldest first (at most the outbox's batch), waiting up to {@code waitMillis} for the first;
     * empty when none came. They stay in the outbox until {@link #delivered}.
     */
    List<Kept> take(long waitMillis) throws IOException;

    /** The messages taken up to and including {@code last} reached their destination: they leave the outbox. */
    void delivered(Kept last) throws IOException;

    /** The messages taken and not delivered go back to the front, in their order, to be taken again. */
    void retry() throws IOException;

    /** Messages kept now (taken ones included until delivered). */
    long size();

    /** Messages dropped because the outbox was full: the oldest ones (drop-oldest) or new ones (drop-newest). */
    long dropped();

    @Override
    void close();

    /**
     * A kept message.
     *
     * @param seq its number in the outbox, rising in the order of {@link #put}: a receiver can tell a message it
     *     already has (after a retry) by it
     */
    record Kept(long seq, String key, byte[] body) {
    }
}
