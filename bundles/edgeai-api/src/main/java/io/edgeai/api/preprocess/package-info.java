/**
 * Named preprocessing pipelines that turn readings into model features: one fitted definition applied identically
 * in training and in serving.
 */
@Export
@Version("2.2.0")
package io.edgeai.api.preprocess;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
