/**
 * The model registry: named models, their numbered versions, states (staged, active, retired) and lineage.
 */
@Export
@Version("3.1.0")
package io.edgeai.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
