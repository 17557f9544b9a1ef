/** What every servlet of the gateway's HTTP API shares: its error answers. */
@Export
@Version("1.0.0")
package io.edgeai.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
