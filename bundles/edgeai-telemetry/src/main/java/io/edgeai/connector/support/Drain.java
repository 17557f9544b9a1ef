package io.edgeai.connector.support;

import java.util.concurrent.TimeUnit;

/**
 * Requests in flight, so that a stop (an update of the bundle, a config change) first refuses new requests with 5.03,
 * then waits for the ones already accepted to be processed and answered before the server goes away.
 */
public final class Drain {

    private int inFlight;
    private boolean closed;

    /** Admits a request; false once draining started. */
    public synchronized boolean enter() {
        if (closed) {
            return false;
        }
        inFlight++;
        return true;
    }

    public synchronized void exit() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /** Refuses new requests and waits for those in flight; true when all finished in time. */
    public synchronized boolean close(long timeout, TimeUnit unit) throws InterruptedException {
        closed = true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
