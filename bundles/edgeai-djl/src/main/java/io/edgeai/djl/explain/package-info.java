/**
 * Why a model said what it said: per-input attributions of a DJL block's output (Integrated Gradients, with its
 * completeness check), and the one gate through which every user of the engine's gradients passes (training and
 * explanations), since DJL's PyTorch engine allows one gradient collector per JVM at a time.
 */
@Export
@Version("1.0.0")
package io.edgeai.djl.explain;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
