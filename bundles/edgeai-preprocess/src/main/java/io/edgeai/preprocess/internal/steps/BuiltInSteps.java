package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.Step;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The step types this bundle brings, by name; each is also registered as a StepFactory service. */
public final class BuiltInSteps {

    private static final Map<String, Function<Map<String, Object>, Step>> TYPES = new TreeMap<>(Map.ofEntries(
            Map.entry("reject-non-finite", Cleaning::rejectNonFinite),
            Map.entry("bounds", Cleaning::bounds),
            Map.entry("zscore", Scalers::zscore),
            Map.entry("minmax", Scalers::minMax),
            Map.entry("robust", Scalers::robust),
            Map.entry("window", WindowStep::new),
            Map.entry("fill", SequenceSteps::fill),
            Map.entry("timestamps", SequenceSteps::timestamps),
            Map.entry("hampel", Spikes::hampel),
            Map.entry("iqr-clip", Spikes::iqrClip),
            Map.entry("convert", Units::convert),
            Map.entry("stuck", SequenceSteps::stuck),
            Map.entry("jitter", Augmentation::jitter),
            Map.entry("scaling", Augmentation::scaling),
            Map.entry("resample", TimeSteps::resample),
            Map.entry("magnitude-warp", Augmentation::magnitudeWarp),
            Map.entry("time-warp", Augmentation::timeWarp),
            Map.entry("window-slice", Augmentation::windowSlice)));

    private BuiltInSteps() {
    }

    public static Map<String, Function<Map<String, Object>, Step>> types() {
        return TYPES;
    }
}
