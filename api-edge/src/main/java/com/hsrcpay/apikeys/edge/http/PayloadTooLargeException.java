package com.hsrcpay.apikeys.edge.http;

import java.io.IOException;

/** The body passed the configured limit while it was being read. */
public class PayloadTooLargeException extends IOException {

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("The request body exceeds " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
