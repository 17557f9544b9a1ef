package io.edgeai.models.internal;

import io.edgeai.api.model.RolloutPolicy;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout policies of {@code etc/io.edgeai.models.cfg}: the defaults ({@code rollout.<setting>}) and each model's
 * own settings ({@code rollout.<model>.<setting>}) over them. A setting out of range is logged and left out.
 */
final class RolloutPolicies {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutPolicies.class);
    private static final String PREFIX = "rollout.";

    private final RolloutPolicy defaults;
    private final Map<String, Map<String, Object>> perModel = new HashMap<>();

    RolloutPolicies(RegistryConfig config, Map<String, Object> properties) {
        RolloutPolicy configured;
        try {
            configured = new RolloutPolicy(config.rollout_shadowRequests(), config.rollout_shadowSeconds(),
                    config.rollout_canaryShare(), config.rollout_canaryRequests(), config.rollout_canarySeconds(),
                    config.rollout_minRequests(), config.rollout_maxErrorRate(), config.rollout_maxLatencyRatio(),
                    config.rollout_latencySlackMillis(), config.rollout_maxOutputDrift(), config.rollout_minLabels(),
                    config.rollout_maxAccuracyLoss());
        } catch (IllegalArgumentException e) {
            LOG.error("etc/io.edgeai.models.cfg: {}; rollouts follow the built-in defaults {}", e.getMessage(),
                    RolloutPolicy.DEFAULTS.asMap());
            configured = RolloutPolicy.DEFAULTS;
        }
        this.defaults = configured;
        java.util.Set<String> settings = RolloutPolicy.DEFAULTS.asMap().keySet();
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            String key = entry.getKey();
            int dot = key.lastIndexOf('.');
            if (!key.startsWith(PREFIX) || dot <= PREFIX.length()) {
                continue;
            }
            String model = key.substring(PREFIX.length(), dot);
            String setting = key.substring(dot + 1);
            if (!settings.contains(setting)) {
                LOG.warn("etc/io.edgeai.models.cfg: {} names no rollout setting (settings: {})", key, settings);
                continue;
            }
            Map<String, Object> own = perModel.computeIfAbsent(model, m -> new HashMap<>());
            own.put(setting, entry.getValue());
            try {
                defaults.with(own);
            } catch (IllegalArgumentException e) {
                LOG.error("etc/io.edgeai.models.cfg: {}: {}; left out", key, e.getMessage());
                own.remove(setting);
            }
        }
    }

    /** The policy a rollout of the model follows unless told otherwise. */
    RolloutPolicy policy(String model) {
        Map<String, Object> own = perModel.get(model);
        return own == null ? defaults : defaults.with(own);
    }
}
