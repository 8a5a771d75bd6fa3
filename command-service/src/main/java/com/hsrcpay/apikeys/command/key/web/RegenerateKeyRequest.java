package com.hsrcpay.apikeys.command.key.web;

/** Optional body of {@code POST /v1/api-keys/{id}/regenerate}. */
public record RegenerateKeyRequest(Long gracePeriodSeconds) {
}
