package io.edgeai.connector.mqtt.internal;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

/** Admits the connector's own in-VM sessions: the user {@link InternalRealm#USER} with this start's secret. */
public final class InternalLoginModule implements LoginModule {

    private Subject subject;
    private CallbackHandler handler;
    private String secret;
    private List<Principal> principals = List.of();

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.secret = (String) options.get(InternalRealm.SECRET_OPTION);
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("cannot read credentials: " + e.getMessage());
        }
        if (secret == null || !InternalRealm.USER.equals(name.getName())
                || !InternalRealm.matches(secret, password.getPassword())) {
            throw new FailedLoginException("not the gateway's own connector");
        }
        principals = List.of(new UserPrincipal(InternalRealm.USER), new RolePrincipal(InternalRealm.ROLE));
        return true;
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        principals = List.of();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(principals);
        principals = List.of();
        return true;
    }
}
