/**
 * Who may call the gateway's HTTP API and what for: named API credentials with scopes, optional device lists and
 * rate quotas, checked on every request.
 */
@Export
@Version("1.0.0")
package io.edgeai.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
