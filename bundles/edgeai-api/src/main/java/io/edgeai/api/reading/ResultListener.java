package io.edgeai.api.reading;

/** Whiteboard: told of every new result for a device (CoAP observe notifications, for one). */
@FunctionalInterface
public interface ResultListener {

    void resultChanged(Result result);
}
