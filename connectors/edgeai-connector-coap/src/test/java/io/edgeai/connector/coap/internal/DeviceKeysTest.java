package io.edgeai.connector.coap.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Who may act for a device, and who may ask a model for predictions. */
public class DeviceKeysTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private DeviceKeys keys(boolean plainPredict) throws Exception {
        Path file = folder.newFile("psk.properties").toPath();
        Files.writeString(file, "pump-1 = " + Base64.getEncoder().encodeToString("secret".getBytes(
                StandardCharsets.UTF_8)) + "\n");
        return new DeviceKeys(file, false, plainPredict, 5684);
    }

    @Test
    public void predictionsOverPlainCoapAreForThisMachineOnly() throws Exception {
        DeviceKeys keys = keys(false);
        assertNull(keys.mayPredict(null, InetAddress.getByName("127.0.0.1")));
        assertNull(keys.mayPredict(null, InetAddress.getByName("127.0.0.9")));
        assertNull(keys.mayPredict(null, InetAddress.getByName("::1")));
        for (String network : new String[] {"192.168.1.20", "10.0.0.7", "fe80::1", "2001:db8::5"}) {
            DeviceKeys.Refusal refusal = keys.mayPredict(null, InetAddress.getByName(network));
            assertEquals(network, ResponseCode.UNAUTHORIZED, refusal.code());
            assertTrue(refusal.message(), refusal.message().contains("coaps:// (port 5684)")
                    && refusal.message().contains("predict scope") && refusal.message().contains("plainPredict"));
        }
        assertEquals(ResponseCode.UNAUTHORIZED, keys.mayPredict(null, null).code());
    }

    @Test
    public void anyDeviceWithAKeyMayAskOverDtls() throws Exception {
        DeviceKeys keys = keys(false);
        assertNull(keys.mayPredict(new PreSharedKeyIdentity("pump-1"), InetAddress.getByName("192.168.1.20")));
    }

    @Test
    public void plainPredictOpensItToTheNetwork() throws Exception {
        assertNull(keys(true).mayPredict(null, InetAddress.getByName("192.168.1.20")));
    }

    @Test
    public void aDeviceWithAKeyIsClaimedOverDtlsOnly() throws Exception {
        DeviceKeys keys = keys(false);
        assertNull(keys.check(new PreSharedKeyIdentity("pump-1"), "pump-1"));
        assertEquals(ResponseCode.FORBIDDEN, keys.check(new PreSharedKeyIdentity("pump-1"), "pump-2").code());
        assertEquals(ResponseCode.UNAUTHORIZED, keys.check(null, "pump-1").code());
        assertNull(keys.check(null, "pump-2"));
    }
}
