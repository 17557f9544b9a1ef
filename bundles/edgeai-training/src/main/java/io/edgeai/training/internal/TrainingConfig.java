package io.edgeai.training.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway training",
        description = "Training jobs: how many run at once, how many may wait, how much data one may load")
@interface TrainingConfig {

    @AttributeDefinition(description = "Jobs running at once (each trains on one thread; keep below the inference"
            + " workers so that live inference keeps its cores)")
    int threads() default 1;

    @AttributeDefinition(description = "CPU priority of the training threads on Linux: 0 = as inference, 1-18 = that"
            + " nice value, 19 = idle cores only (SCHED_IDLE): a job takes what inference leaves and yields at once")
    int niceness() default 19;

    @AttributeDefinition(description = "Jobs that may wait; beyond, a new job is refused (try later)")
    int maxQueuedJobs() default 8;

    @AttributeDefinition(description = "The most rows one job may load")
    int maxRows() default 1_000_000;

    @AttributeDefinition(description = "Finished jobs kept (their records in data/edgeai/training/jobs)")
    int keepFinishedJobs() default 100;

    @AttributeDefinition(description = "Seconds a stop waits for running jobs to reach a batch boundary")
    int stopTimeoutSeconds() default 30;
}
