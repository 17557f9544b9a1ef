package io.edgeai.http;

import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Request bodies read up to a limit. A body whose declared Content-Length exceeds the limit is refused before a byte of
 * it is read; one that turns out larger (chunked, or a false length) is read no further than the limit plus one byte.
 * A body that trickles in is given up ({@link TooSlow}): after {@value #GRACE_MILLIS} ms of reading, it must have
 * come at {@value #MIN_BYTES_PER_SECOND} bytes a second at least, so that slow clients cannot hold the HTTP service's
 * threads. The time counts from this thread's first read, not from the body's arrival: a small body that waited for a
 * thread under load is all there and read at once. (Jetty's own minRequestDataRate counts from the arrival and
 * refuses such bodies too.)
 */
public final class Bodies {

    public static final long GRACE_MILLIS = 1000;
    public static final long MIN_BYTES_PER_SECOND = 1024;

    private Bodies() {
    }

    /** A body that came slower than the minimum rate: answer 408 and close the connection. */
    public static final class TooSlow extends IOException {
        private static final long serialVersionUID = 1L;

        TooSlow(long bytes, long millis) {
            super("the body came too slowly: " + bytes + " bytes in " + millis + " ms (at least "
                    + MIN_BYTES_PER_SECOND + " bytes a second after the first " + GRACE_MILLIS + " ms)");
        }
    }

    /** The body, or null when it is larger than {@code max} bytes. */
    public static byte[] read(HttpServletRequest request, int max) throws IOException {
        if (request.getContentLengthLong() > max) {
            return null;
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        long size = copy(request, body, max);
        return size < 0 ? null : body.toByteArray();
    }

    /**
     * The body, or null when it is larger than {@code max} bytes or came too slowly; in the second case the 408 is
     * already answered and counted ({@link #refuseSlow}), which {@code response.isCommitted()} tells the caller.
     */
    public static byte[] readOrRefuseSlow(HttpServletRequest request, int max, ConnectorCounters counters,
            HttpServletResponse response) throws IOException {
        try {
            return read(request, max);
        } catch (TooSlow slow) {
            refuseSlow(counters, response, slow);
            response.flushBuffer();
            return null;
        }
    }

    /** Answers a body that came too slowly: 408 problem+json, counted, and the connection is closed. */
    public static void refuseSlow(ConnectorCounters counters, HttpServletResponse response, TooSlow slow) throws IOException {
        response.setHeader("Connection", "close");
        Problem.refuse(counters, response, RejectReason.TOO_SLOW, 408, "Request timeout", slow.getMessage());
    }

    /** Copies the body to {@code out}; its size, or -1 when it is larger than {@code max} bytes (copied no further). */
    public static long copy(HttpServletRequest request, OutputStream out, long max) throws IOException {
        if (request.getContentLengthLong() > max) {
            return -1;
        }
        byte[] buffer = new byte[(int) Math.min(64 * 1024, max + 1)];
        long size = 0;
        long started = System.nanoTime();
        try (InputStream in = request.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                size += n;
                if (size > max) {
                    return -1;
                }
                out.write(buffer, 0, n);
                long millis = (System.nanoTime() - started) / 1_000_000;
                if (millis > GRACE_MILLIS && size < MIN_BYTES_PER_SECOND * (millis - GRACE_MILLIS) / 1000) {
                    throw new TooSlow(size, millis);
                }
            }
        }
        return size;
    }
}
