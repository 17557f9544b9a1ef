package io.edgeai.connector.coap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.SecretKey;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.dtls.pskstore.MultiPskFileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices' pre-shared keys from the PSK file, read again when the file changes (checked at most once a second, when
 * a handshake or a request needs them), and who may act for which device: a DTLS peer only for the device named like
 * its identity; a plain CoAP request not for a device that has a key (unless {@code plainForKeyedDevices}), since
 * anyone can claim a device id over plain UDP. Predictions on demand ({@code POST /models/{name}/predict}) are for
 * devices with a key, over DTLS, and for this machine; over plain CoAP from the network only with {@code
 * plainPredict}, as HTTP asks a credential with the {@code predict} scope for them. A file that cannot be read keeps
 * the keys as they were.
 */
final class DeviceKeys implements AdvancedPskStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceKeys.class);
    private static final long RECHECK_NANOS = 1_000_000_000L;

    /** Why a request may not act for a device, with the protocol's answer. */
    record Refusal(ResponseCode code, String message) {
    }

    private final Path file;
    private final boolean plainForKeyedDevices;
    private final boolean plainPredict;
    private final int dtlsPort;
    private volatile MultiPskFileStore store = new MultiPskFileStore();
    private volatile Set<String> identities = Set.of();
    private volatile HandshakeResultHandler handler;
    private FileTime readAt;
    private volatile long checkedAt = System.nanoTime() - RECHECK_NANOS;

    DeviceKeys(Path file, boolean plainForKeyedDevices, boolean plainPredict, int dtlsPort) {
        this.file = file;
        this.plainForKeyedDevices = plainForKeyedDevices;
        this.plainPredict = plainPredict;
        this.dtlsPort = dtlsPort;
        refresh();
    }

    /** Null when {@code peer} (null over plain CoAP) may act for {@code device}; the refusal otherwise. */
    Refusal check(Principal peer, String device) {
        if (peer instanceof PreSharedKeyIdentity psk) {
            return psk.getIdentity().equals(device) ? null : new Refusal(ResponseCode.FORBIDDEN,
                    "identity '" + psk.getIdentity() + "' may act only for device " + psk.getIdentity());
        }
        if (!plainForKeyedDevices && dtlsPort >= 0 && hasKey(device)) {
            return new Refusal(ResponseCode.UNAUTHORIZED, "device '" + device + "' has a pre-shared key: use coaps://"
                    + " (port " + dtlsPort + ") with it");
        }
        return null;
    }

    /**
     * Null when a request from {@code source} by {@code peer} (null over plain CoAP) may ask a model for predictions:
     * a device with a key over DTLS, this machine, or anyone with {@code plainPredict}; the refusal otherwise.
     */
    Refusal mayPredict(Principal peer, InetAddress source) {
        if (peer instanceof PreSharedKeyIdentity || plainPredict || (source != null && source.isLoopbackAddress())) {
            return null;
        }
        return new Refusal(ResponseCode.UNAUTHORIZED, "predictions over plain CoAP are for this machine only: use"
                + (dtlsPort >= 0 ? " coaps:// (port " + dtlsPort + ") with a device key," : "")
                + " HTTP with a credential that has the predict scope, or set plainPredict = true");
    }

    boolean hasKey(String device) {
        refresh();
        return identities.contains(device);
    }

    int size() {
        refresh();
        return identities.size();
    }

    private void refresh() {
        if (System.nanoTime() - checkedAt < RECHECK_NANOS) {
            return;
        }
        synchronized (this) {
            checkedAt = System.nanoTime();
            FileTime modified;
            try {
                modified = Files.getLastModifiedTime(file);
            } catch (NoSuchFileException absent) {
                modified = FileTime.fromMillis(0);
            } catch (IOException e) {
                LOG.warn("Cannot read the CoAP device keys ({}): {}; keeping them as they were", file.getFileName(),
                        e.toString());
                return;
            }
            if (modified.equals(readAt)) {
                return;
            }
            readAt = modified;
            try {
                MultiPskFileStore read = DtlsEndpoint.keys(Files.exists(file) ? file.toString() : "");
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < read.size(); i++) {
                    ids.add(read.getIdentity(i));
                }
                read.setResultHandler(handler);
                store = read;
                identities = Set.copyOf(ids);
                LOG.info("CoAP device keys: {} from {}", ids.size(), file.getFileName());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot read the CoAP device keys ({}): {}; keeping them as they were", file.getFileName(),
                        e.toString());
            }
        }
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return store.hasEcdhePskSupported();
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, org.eclipse.californium.scandium.util.ServerNames
            serverNames, PskPublicInformation identity, String hmacAlgorithm, SecretKey otherSecret, byte[] seed,
            boolean useExtendedMasterSecret) {
        refresh();
        return store.requestPskSecretResult(cid, serverNames, identity, hmacAlgorithm, otherSecret, seed,
                useExtendedMasterSecret);
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peer,
            org.eclipse.californium.scandium.util.ServerNames serverNames) {
        return store.getIdentity(peer, serverNames);
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        this.handler = resultHandler;
        store.setResultHandler(resultHandler);
    }
}
