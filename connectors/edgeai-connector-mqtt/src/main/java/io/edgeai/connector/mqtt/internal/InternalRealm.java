package io.edgeai.connector.mqtt.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The JAAS realm of the broker's in-VM acceptor, through which the connector itself talks to the broker. Only code in
 * this JVM can reach an in-VM acceptor; on top of that the realm admits one secret, made up at every start and never
 * written anywhere. Its one role, {@link #ROLE}, is what etc/artemis.xml grants the gateway's own queues to. One realm
 * serves every component of this bundle that talks to the broker.
 */
@Component(service = {JaasRealm.class, InternalRealm.class})
public final class InternalRealm implements JaasRealm {

    static final String NAME = "edgeai-broker-internal";
    static final String ROLE = "edgeai-internal";
    static final String USER = "edgeai-connector-mqtt";
    static final String SECRET_OPTION = "io.edgeai.secret";

    private final String secret;
    private final long bundleId;

    @Activate
    public InternalRealm(BundleContext context) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.bundleId = context.getBundle().getBundleId();
    }

    /** An in-VM session factory with this realm's credentials (see {@link BrokerLink}). */
    BrokerLink link() throws Exception {
        return new BrokerLink(BrokerLink.IN_VM_URL, USER, secret);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getRank() {
        return 0;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        Map<String, Object> options = Map.of(ProxyLoginModule.PROPERTY_MODULE, InternalLoginModule.class.getName(),
                ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(bundleId), SECRET_OPTION, secret);
        return new AppConfigurationEntry[] {new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
    }

    static boolean matches(String expected, char[] given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                new String(given).getBytes(StandardCharsets.UTF_8));
    }
}
