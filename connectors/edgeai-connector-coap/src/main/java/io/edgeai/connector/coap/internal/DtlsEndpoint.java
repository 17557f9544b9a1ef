package io.edgeai.connector.coap.internal;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.MessageExchangeStore;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.dtls.pskstore.MultiPskFileStore;

/** CoAP over DTLS (Scandium) with the pre-shared keys of the devices, read from the PSK file. */
final class DtlsEndpoint {

    static {
        DtlsConfig.register();
    }

    private DtlsEndpoint() {
    }

    /**
     * The keys in the file; empty when there is no file yet (every handshake then fails). Lines are read as
     * {@code identity = key}, blanks around the {@code =} allowed, as in every other file in etc/.
     */
    static MultiPskFileStore keys(String pskFile) throws IOException {
        MultiPskFileStore store = new MultiPskFileStore();
        if (!pskFile.isEmpty() && Files.isReadable(Path.of(pskFile))) {
            String lines = Files.readAllLines(Path.of(pskFile)).stream()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#") && line.contains("="))
                    .map(line -> line.substring(0, line.indexOf('=')).trim() + "="
                            + line.substring(line.indexOf('=') + 1).trim())
                    .collect(Collectors.joining("\n"));
            store.loadPskCredentials(new StringReader(lines));
        }
        return store;
    }

    static CoapEndpoint create(Configuration coap, InetSocketAddress address, AdvancedPskStore keys,
            MessageExchangeStore exchanges) {
        coap.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(coap).setAddress(address).setAdvancedPskStore(keys)
                .build();
        return CoapEndpoint.builder().setConfiguration(coap).setConnector(new DTLSConnector(dtls))
                .setMessageExchangeStore(exchanges).build();
    }
}
