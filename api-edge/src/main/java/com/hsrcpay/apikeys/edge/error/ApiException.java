package com.hsrcpay.apikeys.edge.error;

/** Thrown at the edge (controllers, filters) to answer with a precise error; never carries a secret. */
public class ApiException extends RuntimeException {

    private final transient ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public static ApiException badRequest(String field, String reason, String message) {
        return new ApiException(ApiError.invalidField(field, reason, message));
    }

    public static ApiException notFound(String message) {
        return new ApiException(ApiError.of(404, "not_found", message));
    }

    public ApiError error() {
        return error;
    }
}
