/**
 * Pipelines: definitions from etc/ and deploy/, their live revisions, fitting, serialization into model archives.
 * Nothing is exported: other bundles use {@link io.edgeai.api.preprocess.Pipelines} and the pipeline services.
 */
package io.edgeai.preprocess.internal;
