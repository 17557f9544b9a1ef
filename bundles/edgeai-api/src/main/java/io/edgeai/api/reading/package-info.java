/**
 * Sensor readings as every connector hands them on: a device, a time and named numeric values, plus the reasons a
 * payload can be refused (each reason is counted in metrics and named in the error the device gets).
 */
@Export
@Version("3.0.0")
package io.edgeai.api.reading;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
