package io.edgeai.api.inference;

/**
 * What a model's serving version has done since it was loaded.
 *
 * @param model the model name
 * @param version the version serving
 * @param device where it runs ({@code cpu}, {@code gpu(0)})
 * @param requests requests accepted
 * @param rows input rows computed
 * @param batches batches run (rows / batches is the mean batch size)
 * @param largestBatch the most rows one batch held
 * @param failures requests whose batch failed in the engine
 * @param refused requests refused because the queue was full
 * @param queued requests waiting now
 */
public record ServingStats(String model, int version, String device, long requests, long rows, long batches,
        long largestBatch, long failures, long refused, int queued) {
}
