package io.edgeai.security.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.monitoring.Status;
import io.edgeai.api.security.ApiCredential;
import io.edgeai.api.security.ApiDecision;
import io.edgeai.api.security.ApiDecision.Outcome;
import io.edgeai.api.security.ApiScope;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ApiCredentialStoreTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private Path file;

    @Before
    public void setUp() {
        file = tmp.getRoot().toPath().resolve("credentials.properties");
    }

    private ApiCredentialStore store(String[] anonymous, String[] local, double anonymousRate) {
        return new ApiCredentialStore(config(anonymous, local, anonymousRate), nanos::get);
    }

    private ApiAccessConfig config(String[] anonymous, String[] local, double anonymousRate) {
        return new ApiAccessConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ApiAccessConfig.class;
            }

            @Override
            public String credentialsFile() {
                return file.toString();
            }

            @Override
            public String[] anonymousScopes() {
                return anonymous;
            }

            @Override
            public String[] localScopes() {
                return local;
            }

            @Override
            public double anonymousRate() {
                return anonymousRate;
            }
        };
    }

    private static ApiCredential credential(String name, double rate, int burst, List<String> devices,
            ApiScope... scopes) {
        return new ApiCredential(name, Set.of(scopes), rate, burst, devices);
    }

    @Test
    public void withoutATokenOnlyTheConfiguredScopesPassAndLoopbackGetsItsOwn() {
        ApiCredentialStore store = store(new String[] {"ingest"}, new String[] {"admin"}, 0);
        assertEquals(Outcome.ALLOWED, store.decide(null, false, ApiScope.INGEST, "d1").outcome());
        ApiDecision metrics = store.decide(null, false, ApiScope.READ, null);
        assertEquals(Outcome.UNAUTHORIZED, metrics.outcome());
        assertEquals("anonymous", metrics.credential());
        assertTrue(metrics.detail(), metrics.detail().contains("'read'"));
        assertEquals(Outcome.ALLOWED, store.decide(null, true, ApiScope.MODELS, null).outcome());
        assertEquals("local", store.decide(null, true, ApiScope.MODELS, null).credential());
    }

    @Test
    public void aTokenIsKeptOnlyAsItsHashAndGrantsItsScopesAndDevices() throws Exception {
        ApiCredentialStore store = store(new String[0], new String[0], 0);
        String token = store.add(credential("line-3", 0, 1, List.of("pump-*"), ApiScope.INGEST));
        String text = Files.readString(file);
        assertFalse("the token is not written", text.contains(token));
        assertTrue(text, text.contains("line-3 = sha256:" + CredentialsFile.sha256(token) + "; scopes=ingest"));

        assertEquals(Outcome.ALLOWED, store.decide(token, false, ApiScope.INGEST, "pump-7").outcome());
        ApiDecision otherDevice = store.decide(token, false, ApiScope.INGEST, "valve-1");
        assertEquals(Outcome.FORBIDDEN, otherDevice.outcome());
        assertTrue(otherDevice.detail(), otherDevice.detail().contains("valve-1"));
        assertEquals(Outcome.FORBIDDEN, store.decide(token, false, ApiScope.READ, null).outcome());
        assertEquals(Outcome.UNAUTHORIZED, store.decide(token + "x", false, ApiScope.INGEST, "pump-7").outcome());
        assertEquals("a credential is itself from anywhere", "line-3",
                store.decide(token, true, ApiScope.INGEST, "pump-1").credential());

        assertEquals(2L, (long) store.counts().get("line-3").get("forbidden"));
        assertEquals(1L, (long) store.counts().get("unknown").get("unauthorized"));
        assertTrue(store.remove("line-3"));
        assertEquals(Outcome.UNAUTHORIZED, store.decide(token, false, ApiScope.INGEST, "pump-7").outcome());
        assertFalse(store.remove("line-3"));
    }

    @Test
    public void adminGrantsEveryScope() throws Exception {
        ApiCredentialStore store = store(new String[0], new String[0], 0);
        String token = store.add(credential("ops", 0, 1, List.of(), ApiScope.ADMIN));
        for (ApiScope scope : ApiScope.values()) {
            assertEquals(scope.label(), Outcome.ALLOWED, store.decide(token, false, scope, "any").outcome());
        }
    }

    @Test
    public void aQuotaAnswersWhenToRetryAndRefillsWithTime() throws Exception {
        ApiCredentialStore store = store(new String[0], new String[0], 0);
        String token = store.add(credential("slow", 0.5, 2, List.of(), ApiScope.READ));
        assertEquals(Outcome.ALLOWED, store.decide(token, false, ApiScope.READ, null).outcome());
        assertEquals(Outcome.ALLOWED, store.decide(token, false, ApiScope.READ, null).outcome());
        ApiDecision third = store.decide(token, false, ApiScope.READ, null);
        assertEquals(Outcome.THROTTLED, third.outcome());
        assertEquals("one token at 0.5/s takes 2 s", 2, third.retryAfterSeconds());
        nanos.addAndGet(2_000_000_000L);
        assertEquals(Outcome.ALLOWED, store.decide(token, false, ApiScope.READ, null).outcome());
        assertEquals(1L, (long) store.counts().get("slow").get("throttled"));
    }

    @Test
    public void requestsWithoutACredentialShareTheAnonymousQuota() {
        ApiCredentialStore store = store(new String[] {"ingest"}, new String[0], 1);
        assertEquals(Outcome.ALLOWED, store.decide(null, false, ApiScope.INGEST, "a").outcome());
        assertEquals(Outcome.THROTTLED, store.decide(null, false, ApiScope.INGEST, "b").outcome());
    }

    @Test
    public void linesAnOperatorGotWrongAreLeftOutWithTheirReasonAndTheFileIsReadLive() throws Exception {
        String hash = CredentialsFile.sha256("eai_secret-of-the-operator");
        Files.writeString(file, "# written by hand\n"
                + "good = sha256:" + hash + "; scopes=read,ingest; rate=5; devices=a,b-*\n"
                + "typo = sha256:" + hash.substring(1) + "; scopes=read\n"
                + "odd = sha256:" + hash + "; scopes=reed\n");
        ApiCredentialStore store = store(new String[0], new String[0], 0);
        assertEquals(List.of("good"), store.credentials().stream().map(ApiCredential::name).toList());
        ApiCredential good = store.credentials().get(0);
        assertEquals(Set.of(ApiScope.READ, ApiScope.INGEST), good.scopes());
        assertEquals(5, good.burst());
        assertEquals(Outcome.ALLOWED, store.decide("eai_secret-of-the-operator", false, ApiScope.READ, null).outcome());
        assertEquals(Status.DEGRADED, store.health().status());
        assertTrue(store.health().reason(), store.health().reason().contains("credential 'odd' ignored: unknown scope"
                + " 'reed'") && store.health().reason().contains("'typo'"));

        Files.writeString(file, "# emptied\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        nanos.addAndGet(1_000_000_000L);
        assertEquals(Outcome.UNAUTHORIZED, store.decide("eai_secret-of-the-operator", false, ApiScope.READ, null)
                .outcome());
        assertEquals(Status.UP, store.health().status());
        assertTrue("comments are kept", Files.readString(file).contains("# emptied"));
    }

    @Test
    public void namesScopesAndRatesAreChecked() throws Exception {
        ApiCredentialStore store = store(new String[0], new String[0], 0);
        for (ApiCredential bad : List.of(credential("has space", 0, 1, List.of(), ApiScope.READ),
                credential("anonymous", 0, 1, List.of(), ApiScope.READ), credential("none", 0, 1, List.of()),
                credential("neg", -1, 1, List.of(), ApiScope.READ))) {
            try {
                store.add(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
        store.add(credential("once", 0, 1, List.of(), ApiScope.READ));
        try {
            store.add(credential("once", 0, 1, List.of(), ApiScope.READ));
            throw new AssertionError("a name is taken once");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("exists"));
        }
    }

    @Test
    public void anonymousAdminIsReportedAsDegraded() {
        ApiCredentialStore store = store(new String[] {"admin"}, new String[0], 0);
        assertEquals(Status.DEGRADED, store.health().status());
        assertEquals(Status.DEGRADED, store(new String[] {"ingest", "nonsense"}, new String[0], 0).health().status());
    }
}
