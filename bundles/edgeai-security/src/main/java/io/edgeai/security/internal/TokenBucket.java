package io.edgeai.security.internal;

/** A rate quota: {@code burst} requests at once, refilled at {@code rate} per second. */
final class TokenBucket {

    private final double rate;
    private final int burst;
    private double tokens;
    private long updated;

    TokenBucket(double rate, int burst, long nowNanos) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.updated = nowNanos;
    }

    boolean sameQuota(double otherRate, int otherBurst) {
        return rate == otherRate && burst == otherBurst;
    }

    /** Takes one request's token: 0 when it may go now, otherwise the whole seconds until a token is there. */
    synchronized long take(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - updated) / 1e9 * rate);
        updated = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
    }
}
