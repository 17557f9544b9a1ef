package io.edgeai.monitoring.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class LocalPathsTest {

    private final LocalPaths paths = new LocalPaths().add("/opt/gw", ".").add("/opt/gw/etc/", "etc")
            .add("/opt/gw/data", "data").add("/root", "~").add("relative", "x").add(null, "y");

    @Test
    public void theGatewaysFoldersBecomeRelative() {
        assertEquals("cannot read etc/edgeai-coap-psk.properties",
                paths.scrub("cannot read /opt/gw/etc/edgeai-coap-psk.properties"));
        assertEquals("PyTorch from ./lib/pytorch, cache ~/.djl.ai, models in data/edgeai/models",
                paths.scrub("PyTorch from /opt/gw/lib/pytorch, cache /root/.djl.ai, models in /opt/gw/data/edgeai/models"));
        assertEquals("on 0.0.0.0:8101", paths.scrub("on 0.0.0.0:8101"));
    }
}
