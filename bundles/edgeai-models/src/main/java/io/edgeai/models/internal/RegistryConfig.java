package io.edgeai.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway model registry")
@interface RegistryConfig {

    @AttributeDefinition(description = "Folder of the registry, relative to the Karaf data folder")
    String folder() default "edgeai/models";

    @AttributeDefinition(description = "Largest archive accepted, in megabytes")
    int maxArchiveMegabytes() default 256;

    @AttributeDefinition(description = "Most an archive may unpack to, in megabytes (against zip bombs)")
    int maxUnpackedMegabytes() default 1024;

    @AttributeDefinition(description = "Refuse uploaded archives (API, console) that are not signed by a trusted key")
    boolean requireSignature() default false;

    @AttributeDefinition(description = "Refuse archives from the fleet's models channel that are not signed by a"
            + " trusted key")
    boolean requireSignatureFromFleet() default true;

    @AttributeDefinition(description = "Folder of trusted Ed25519 public keys (<name>.pem) and the revocation list"
            + " (revoked), relative to the Karaf etc folder")
    String trustFolder() default "edgeai/trust";

    @AttributeDefinition(description = "Sign the models the gateway's training makes with the gateway's key (made at"
            + " the first start; its public key is <trustFolder>/gateway.pem)")
    boolean signTrainedModels() default true;

    @AttributeDefinition(description = "The gateway's Ed25519 signing key (PKCS#8 PEM), relative to the Karaf etc"
            + " folder")
    String signingKey() default "edgeai/keys/gateway.key";

    @AttributeDefinition(description = "Staged rollouts: compared requests the shadow stage needs (0 skips it)")
    long rollout_shadowRequests() default 200;

    @AttributeDefinition(description = "Staged rollouts: seconds the shadow stage lasts at least")
    long rollout_shadowSeconds() default 0;

    @AttributeDefinition(description = "Staged rollouts: share of devices the canary answers, 0 to 1 (0 skips it)")
    double rollout_canaryShare() default 0.1;

    @AttributeDefinition(description = "Staged rollouts: compared requests the canary stage needs")
    long rollout_canaryRequests() default 200;

    @AttributeDefinition(description = "Staged rollouts: seconds the canary stage lasts at least")
    long rollout_canarySeconds() default 0;

    @AttributeDefinition(description = "Staged rollouts: compared requests before the guard rails judge")
    long rollout_minRequests() default 20;

    @AttributeDefinition(description = "Guard rail: highest share of compared requests the new version may fail")
    double rollout_maxErrorRate() default 0.01;

    @AttributeDefinition(description = "Guard rail: the new version's p99 latency may exceed the active one's by this"
            + " factor and by latencySlackMillis")
    double rollout_maxLatencyRatio() default 2.0;

    @AttributeDefinition(description = "Guard rail: milliseconds of p99 latency the new version may add in any case")
    double rollout_latencySlackMillis() default 20;

    @AttributeDefinition(description = "Guard rail: highest mean absolute difference of the outputs, in standard"
            + " deviations of the active version's outputs (0: not watched)")
    double rollout_maxOutputDrift() default 0.5;

    @AttributeDefinition(description = "Guard rail: labels per version since the canary began before live accuracy"
            + " judges")
    long rollout_minLabels() default 30;

    @AttributeDefinition(description = "Guard rail: how much worse the canary's live accuracy may be (classifiers:"
            + " points of accuracy; regressors: fraction of mean absolute error)")
    double rollout_maxAccuracyLoss() default 0.1;
}
