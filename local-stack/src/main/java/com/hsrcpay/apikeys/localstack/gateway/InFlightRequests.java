package com.hsrcpay.apikeys.localstack.gateway;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import java.io.IOException;
import java.time.Duration;

/** Counts the requests the gateway is answering, so a stop can wait for them ({@link ApiGateway#close()}). */
final class InFlightRequests extends ValveBase {

    private int active;

    InFlightRequests() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        synchronized (this) {
            active++;
        }
        try {
            getNext().invoke(request, response);
        } finally {
            synchronized (this) {
                if (--active == 0) {
                    notifyAll();
                }
            }
        }
    }

    /** Waits until no request is being answered, at most {@code max}; true when none is left. */
    synchronized boolean awaitNone(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
