package io.edgeai.anomaly.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway anomaly watch",
        description = "The embedded default: every device stream learns its own anomaly model")
@interface WatchConfig {

    @AttributeDefinition(description = "Watch device streams (the default route asks the watch when no model is"
            + " configured in io.edgeai.telemetry)")
    boolean enabled() default true;

    @AttributeDefinition(description = "The score (in [0, 1], calibrated per stream) at or above which a reading opens"
            + " an anomaly episode: 0.5 is a reading as rare as one in 10,000 under the stream's normal behaviour")
    double threshold() default 0.5;

    @AttributeDefinition(description = "Readings in a row with a score under 0.4 x threshold that close an anomaly"
            + " episode (one alert per episode)")
    int quietReadings() default 40;

    @AttributeDefinition(description = "Readings a stream's typical level and spread are taken from (the statistical"
            + " detectors)")
    int levelWindow() default 64;

    @AttributeDefinition(description = "Readings in one shape the discord detector compares")
    int shapeLength() default 16;

    @AttributeDefinition(description = "Earlier shapes the newest one is compared with")
    int shapeReferences() default 256;

    @AttributeDefinition(description = "The newest measures each detector's scores are calibrated against")
    int calibrationReadings() default 1024;

    @AttributeDefinition(description = "Also learn a forecaster per stream (trained on the gateway) whose errors join"
            + " the statistical detectors once it is trained; off by default: each reading then costs a forward pass"
            + " (ingest 0.38 of raw Californium instead of 1.0) and each stream a model in memory")
    boolean forecaster() default false;

    @AttributeDefinition(description = "Readings a stream collects before its forecaster is first trained")
    int warmupReadings() default 500;

    @AttributeDefinition(description = "Readings between two trainings of a watched stream (0: never retrain)")
    int retrainEvery() default 250;

    @AttributeDefinition(description = "Minutes of reading time (the readings' timestamps) between two trainings of a"
            + " stream at the least, however fast its readings come")
    int minRetrainMinutes() default 10;

    @AttributeDefinition(description = "The newest readings a retraining learns from")
    int trainingReadings() default 1000;

    @AttributeDefinition(description = "Readings the model looks back on to forecast the next one")
    int window() default 8;

    @AttributeDefinition(description = "The forecaster does not learn from a reading whose error is this many times the"
            + " largest (99.9th percentile) error it made on its normal training readings")
    double thresholdFactor() default 5;

    @AttributeDefinition(description = "The forecaster learns again from values that stayed that far off for this many"
            + " readings (the new normal)")
    int acceptAfter() default 50;

    @AttributeDefinition(description = "The forecaster's hidden layer widths, comma-separated")
    String hidden() default "16,16";

    @AttributeDefinition(description = "Most epochs of one training (early stopping usually ends it sooner)")
    int epochs() default 100;

    @AttributeDefinition(description = "Most streams watched; readings of further devices are not scored")
    int maxStreams() default 64;

    @AttributeDefinition(description = "Most values of one stream that are watched (the first ones of its first"
            + " reading)")
    int maxValues() default 16;

    @AttributeDefinition(description = "Versions kept per stream model (older retired ones are deleted)")
    int keepVersions() default 3;

    @AttributeDefinition(description = "Stream models are named this prefix followed by the device id")
    String modelPrefix() default "anomaly-";
}
