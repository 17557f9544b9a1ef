package io.edgeai.connector.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.servlet.http.HttpServletRequest;

/**
 * Request bodies read up to a limit. A body whose declared Content-Length exceeds the limit is refused before a byte of
 * it is read; one that turns out larger (chunked, or a false length) is read no further than the limit plus one byte.
 */
final class Bodies {

    private Bodies() {
    }

    /** The body, or null when it is larger than {@code max} bytes. */
    static byte[] read(HttpServletRequest request, int max) throws IOException {
        if (request.getContentLengthLong() > max) {
            return null;
        }
        byte[] body = request.getInputStream().readNBytes(max + 1);
        return body.length > max ? null : body;
    }

    /** Copies the body to {@code out}; its size, or -1 when it is larger than {@code max} bytes (copied no further). */
    static long copy(HttpServletRequest request, OutputStream out, long max) throws IOException {
        if (request.getContentLengthLong() > max) {
            return -1;
        }
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        try (InputStream in = request.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                size += n;
                if (size > max) {
                    return -1;
                }
                out.write(buffer, 0, n);
            }
        }
        return size;
    }
}
