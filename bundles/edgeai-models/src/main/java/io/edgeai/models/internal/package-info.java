/**
 * The model registry: archives checked and unpacked under data/, versions staged, active and retired, promote and
 * rollback with their history. Nothing is exported: other bundles use {@link io.edgeai.api.model.ModelRegistry}.
 */
package io.edgeai.models.internal;
