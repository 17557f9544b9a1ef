package io.edgeai.security.internal;

import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.security.ApiAccess;
import io.edgeai.api.security.ApiCredential;
import io.edgeai.api.security.ApiDecision.Outcome;
import io.edgeai.api.security.ApiDecision;
import io.edgeai.api.security.ApiScope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API credentials of {@code etc/edgeai-api-credentials.properties} (read again when it changed, checked at most
 * once a second) and what requests without one may do. Each request is decided by the SHA-256 of its token, its
 * scope, device and quota, and counted by credential and outcome.
 */
@Component(service = {ApiAccess.class, HealthIndicator.class, MeterBinder.class},
        configurationPid = "io.edgeai.security.api",
        immediate = true)
@Designate(ocd = ApiAccessConfig.class)
public final class ApiCredentialStore implements ApiAccess, HealthIndicator, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(ApiCredentialStore.class);
    private static final long RECHECK_NANOS = 1_000_000_000L;
    static final String ANONYMOUS = "anonymous";
    static final String LOCAL = "local";
    static final String UNKNOWN = "unknown";

    private final SecureRandom random = new SecureRandom();
    private final LongSupplier clock;
    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
    /** A counter per credential and outcome, added with its first request. */
    private final MeterSet meters = new MeterSet();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile Settings settings;
    private volatile Known known = new Known(Map.of(), Map.of(), List.of());
    private volatile FileTime readAt;
    private volatile long checkedAt;

    /** The configuration as used. */
    private record Settings(Path file, Set<ApiScope> anonymous, Set<ApiScope> local, double anonymousRate,
            List<String> problems) {
    }

    /** The credentials read: by token hash, by name, and the lines left out. */
    private record Known(Map<String, CredentialsFile.Entry> byHash, Map<String, CredentialsFile.Entry> byName,
            List<String> problems) {
    }

    @Activate
    public ApiCredentialStore(ApiAccessConfig config) {
        this(config, System::nanoTime);
    }

    ApiCredentialStore(ApiAccessConfig config, LongSupplier clock) {
        this.clock = clock;
        modified(config);
    }

    @Modified
    void modified(ApiAccessConfig config) {
        List<String> problems = new java.util.ArrayList<>();
        Set<ApiScope> anonymous = scopes(config.anonymousScopes(), "anonymousScopes", problems);
        Set<ApiScope> local = scopes(config.localScopes(), "localScopes", problems);
        String etc = System.getProperty("karaf.etc", "etc");
        Path file = Path.of(etc).resolve(config.credentialsFile());
        double rate = config.anonymousRate() > 0 ? config.anonymousRate() : 0;
        settings = new Settings(file, anonymous, local, rate, List.copyOf(problems));
        buckets.remove(ANONYMOUS);
        readAt = null;
        reload();
        LOG.info("API access: {} credential(s) in {}; without one: {} from the network, {} from this machine",
                known.byName().size(), file.getFileName(), describe(anonymous), describe(local));
    }

    @Override
    public ApiDecision decide(String token, boolean local, ApiScope needed, String device) {
        if (clock.getAsLong() - checkedAt >= RECHECK_NANOS) {
            reload();
        }
        Settings now = settings;
        if (token == null || token.isBlank()) {
            String who = local ? LOCAL : ANONYMOUS;
            Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
            scopes.addAll(now.anonymous());
            if (local) {
                scopes.addAll(now.local());
            }
            if (needed != null && scopes.stream().noneMatch(s -> s.grants(needed))) {
                return count(new ApiDecision(Outcome.UNAUTHORIZED, who, "this needs a credential with scope '"
                        + needed.label() + "': send Authorization: Bearer <token>", 0));
            }
            if (now.anonymousRate() > 0) {
                long wait = buckets.computeIfAbsent(ANONYMOUS, k -> new TokenBucket(now.anonymousRate(),
                        CredentialsFile.defaultBurst(now.anonymousRate()), clock.getAsLong())).take(clock.getAsLong());
                if (wait > 0) {
                    return count(new ApiDecision(Outcome.THROTTLED, who, "requests without a credential are over"
                            + " their quota of " + now.anonymousRate() + " per second", wait));
                }
            }
            return count(new ApiDecision(Outcome.ALLOWED, who, "", 0));
        }
        CredentialsFile.Entry entry = known.byHash().get(CredentialsFile.sha256(token.trim()));
        if (entry == null) {
            return count(new ApiDecision(Outcome.UNAUTHORIZED, UNKNOWN, "the token is not a credential of this"
                    + " gateway", 0));
        }
        ApiCredential credential = entry.credential();
        if (needed != null && credential.scopes().stream().noneMatch(s -> s.grants(needed))) {
            return count(new ApiDecision(Outcome.FORBIDDEN, credential.name(), "credential '" + credential.name()
                    + "' lacks scope '" + needed.label() + "'", 0));
        }
        if (device != null && !credential.coversDevice(device)) {
            return count(new ApiDecision(Outcome.FORBIDDEN, credential.name(), "credential '" + credential.name()
                    + "' does not act for device " + device, 0));
        }
        if (credential.ratePerSecond() > 0) {
            TokenBucket bucket = buckets.compute(credential.name(), (name, old) ->
                    old != null && old.sameQuota(credential.ratePerSecond(), credential.burst()) ? old
                            : new TokenBucket(credential.ratePerSecond(), credential.burst(), clock.getAsLong()));
            long wait = bucket.take(clock.getAsLong());
            if (wait > 0) {
                return count(new ApiDecision(Outcome.THROTTLED, credential.name(), "credential '" + credential.name()
                        + "' is over its quota of " + credential.ratePerSecond() + " requests per second", wait));
            }
        }
        return count(new ApiDecision(Outcome.ALLOWED, credential.name(), "", 0));
    }

    @Override
    public List<ApiCredential> credentials() {
        reload();
        return known.byName().values().stream().map(CredentialsFile.Entry::credential)
                .sorted(java.util.Comparator.comparing(ApiCredential::name)).toList();
    }

    @Override
    public synchronized String add(ApiCredential credential) throws IOException {
        if (!CredentialsFile.NAME.matcher(credential.name()).matches()) {
            throw new IllegalArgumentException("a credential's name is 1-64 letters, digits, '.', '_' or '-'");
        }
        if (Set.of(ANONYMOUS, LOCAL, UNKNOWN).contains(credential.name())) {
            throw new IllegalArgumentException("'" + credential.name() + "' names requests without a credential");
        }
        if (credential.scopes().isEmpty()) {
            throw new IllegalArgumentException("a credential needs at least one scope (" + CredentialsFile.known() + ")");
        }
        if (!(credential.ratePerSecond() >= 0) || Double.isInfinite(credential.ratePerSecond())) {
            throw new IllegalArgumentException("the rate is a number of requests per second, 0 for no quota");
        }
        readAt = null;
        reload();
        if (known.byName().containsKey(credential.name())) {
            throw new IllegalArgumentException("credential '" + credential.name() + "' exists: remove it first");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = "eai_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiCredential stored = new ApiCredential(credential.name(), credential.scopes(), credential.ratePerSecond(),
                Math.max(1, credential.burst()), credential.devices());
        CredentialsFile.write(settings.file(), credential.name(),
                CredentialsFile.format(stored, CredentialsFile.sha256(token)));
        readAt = null;
        reload();
        LOG.info("API credential '{}' added with scopes {}", credential.name(), describe(credential.scopes()));
        return token;
    }

    @Override
    public synchronized boolean remove(String name) throws IOException {
        readAt = null;
        reload();
        if (!known.byName().containsKey(name) && known.problems().stream().noneMatch(p -> p.contains("'" + name + "'"))) {
            return false;
        }
        CredentialsFile.write(settings.file(), name, null);
        readAt = null;
        reload();
        buckets.remove(name);
        LOG.info("API credential '{}' removed", name);
        return true;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    @Override
    public Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        counts.forEach((name, outcomes) -> {
            Map<String, Long> byOutcome = new TreeMap<>();
            outcomes.forEach((outcome, count) -> byOutcome.put(outcome, count.sum()));
            copy.put(name, byOutcome);
        });
        return copy;
    }

    @Override
    public Health health() {
        Settings now = settings;
        List<String> problems = new java.util.ArrayList<>(now.problems());
        problems.addAll(known.problems());
        if (now.anonymous().contains(ApiScope.ADMIN)) {
            problems.add("anonymousScopes has admin: anyone who reaches the HTTP port administers the gateway");
        }
        String summary = known.byName().size() + " API credential(s); without one: " + describe(now.anonymous())
                + " from the network, " + describe(now.local()) + " from this machine";
        return problems.isEmpty() ? new Health("api-access", Status.UP, summary)
                : new Health("api-access", Status.DEGRADED, String.join("; ", problems) + " (" + summary + ")");
    }

    private ApiDecision count(ApiDecision decision) {
        counts.computeIfAbsent(decision.credential(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(decision.outcome().name().toLowerCase(java.util.Locale.ROOT), outcome -> {
                    LongAdder count = new LongAdder();
                    meters.counter("edgeai.api.requests", "HTTP API requests by credential (anonymous, local, unknown:"
                            + " none or an unknown token) and outcome", count, LongAdder::sum, "credential",
                            decision.credential(), "outcome", outcome);
                    return count;
                }).increment();
        if (decision.outcome() == Outcome.UNAUTHORIZED && UNKNOWN.equals(decision.credential())) {
            LOG.debug("Request with an unknown token refused");
        }
        return decision;
    }

    private synchronized void reload() {
        checkedAt = clock.getAsLong();
        Path file = settings.file();
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException absent) {
            known = new Known(Map.of(), Map.of(), List.of());
            readAt = null;
            return;
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}; keeping the API credentials as they were", file.getFileName(), e.toString());
            return;
        }
        if (modified.equals(readAt)) {
            return;
        }
        try {
            CredentialsFile.Contents contents = CredentialsFile.read(file);
            Map<String, CredentialsFile.Entry> byHash = new HashMap<>();
            for (CredentialsFile.Entry entry : contents.entries().values()) {
                byHash.put(entry.tokenHash(), entry);
            }
            known = new Known(Map.copyOf(byHash), contents.entries(), contents.problems());
            buckets.keySet().removeIf(name -> !name.equals(ANONYMOUS) && !contents.entries().containsKey(name));
            for (String problem : contents.problems()) {
                LOG.warn("{}: {}", file.getFileName(), problem);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cannot read {}: {}; keeping the API credentials as they were", file.getFileName(), e.toString());
        }
        readAt = modified;
    }

    private static Set<ApiScope> scopes(String[] labels, String key, List<String> problems) {
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        for (String label : labels == null ? new String[0] : labels) {
            for (String item : CredentialsFile.list(label)) {
                ApiScope.parse(item).ifPresentOrElse(scopes::add,
                        () -> problems.add(key + " has unknown scope '" + item + "' (known: " + CredentialsFile.known()
                                + ")"));
            }
        }
        return scopes;
    }

    static String describe(Collection<ApiScope> scopes) {
        return scopes.isEmpty() ? "nothing" : String.join(", ", scopes.stream().sorted().map(ApiScope::label).toList());
    }
}
