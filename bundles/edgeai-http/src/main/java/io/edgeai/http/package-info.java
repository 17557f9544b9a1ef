/**
 * What every servlet of the gateway's HTTP API shares: its error answers (problem+json, counted under the reason) and
 * request bodies read up to a limit and a minimum rate.
 */
@Export
@Version("1.1.0")
package io.edgeai.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
