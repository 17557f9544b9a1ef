package io.edgeai.api.security;

/**
 * What became of one request.
 *
 * @param outcome           allowed, or why not
 * @param credential        the credential it carried, {@code anonymous} (none, from the network), {@code local}
 *                          (none, from this machine) or {@code unknown} (a token no credential has)
 * @param detail            for a refusal, a sentence for the caller (never a token)
 * @param retryAfterSeconds for {@link Outcome#THROTTLED}, when to try again
 */
public record ApiDecision(Outcome outcome, String credential, String detail, long retryAfterSeconds) {

    /** Allowed, or the HTTP-like reason it was not. */
    public enum Outcome {
        ALLOWED,
        /** No credential, or an unknown token, where one is needed (HTTP 401). */
        UNAUTHORIZED,
        /** A known credential without the scope or the device (HTTP 403). */
        FORBIDDEN,
        /** Over the credential's quota (HTTP 429). */
        THROTTLED
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }
}
