package com.hsrcpay.apikeys.edge.envelope;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The {@code /v1} success envelopes of the seeds: {@code {"message":"success","success":true,"data":…}}. */
public final class Envelope {

    private Envelope() {
    }

    public static <T> Single<T> of(T data) {
        return new Single<>("success", true, data);
    }

    public static <T> Page<T> page(List<T> data, long total, int page, int limit) {
        long pages = total == 0 ? 0 : (total + limit - 1) / limit;
        return new Page<>("success", true, data, total, page, limit, pages);
    }

    @Schema(requiredProperties = {"message", "success", "data"})
    public record Single<T>(String message, boolean success, T data) {
    }

    @Schema(requiredProperties = {"message", "success", "data", "total", "page", "limit", "pages"})
    public record Page<T>(String message, boolean success, List<T> data, long total, int page, int limit, long pages) {
    }
}
