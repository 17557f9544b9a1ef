package io.edgeai.api.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's API credentials: decides each request and manages the credentials. Tokens are shown once, when made,
 * and kept only as hashes.
 */
@ProviderType
public interface ApiAccess {

    /**
     * Decides a request and counts the outcome for its credential.
     *
     * @param token  the bearer token it carried, or null
     * @param local  true when it came from this machine (loopback)
     * @param needed the scope the request needs, or null when it needs none
     * @param device the device id it acts for, or null
     */
    ApiDecision decide(String token, boolean local, ApiScope needed, String device);

    /** The credentials, by name. */
    List<ApiCredential> credentials();

    /**
     * Adds a credential and returns its new token, which is not kept anywhere: the caller shows it once.
     *
     * @throws IllegalArgumentException for a taken or malformed name, no scopes, or a negative rate
     * @throws IOException when the credentials file cannot be written
     */
    String add(ApiCredential credential) throws IOException;

    /** Removes a credential; false when there was none of that name. */
    boolean remove(String name) throws IOException;

    /** Requests decided so far, by credential then by outcome ({@code allowed}, {@code unauthorized}, ...). */
    Map<String, Map<String, Long>> counts();
}
