package io.edgeai.api.reading;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: told of every new result for a device (CoAP observe notifications, for one). */
@ConsumerType
@FunctionalInterface
public interface ResultListener {

    void resultChanged(Result result);
}
