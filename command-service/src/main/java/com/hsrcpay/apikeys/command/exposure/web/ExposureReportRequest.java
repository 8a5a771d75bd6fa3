package com.hsrcpay.apikeys.command.exposure.web;

import com.hsrcpay.apikeys.edge.error.ApiException;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** Body of {@code POST /v1/keys/report-exposure}: the secrets found, and where (optional). */
@Schema(name = "ExposureReportRequest", requiredProperties = {"keys"})
public record ExposureReportRequest(
        @ArraySchema(minItems = 1, maxItems = ExposureReportRequest.MAX_KEYS,
                schema = @Schema(type = "string", description = "a secret found in public"))
        List<String> keys,
        @Schema(nullable = true, format = "uri", maxLength = ExposureReportRequest.MAX_URL_LENGTH,
                description = "where they were found: an https URL")
        String sourceUrl) {

    static final int MAX_KEYS = 100;
    static final int MAX_URL_LENGTH = 2000;

    /** The keys, checked: 1 to {@value #MAX_KEYS} strings. */
    List<String> checkedKeys() {
        if (keys == null) {
            throw ApiException.badRequest("keys", "required", "keys is required: the secrets found");
        }
        if (keys.isEmpty()) {
            throw ApiException.badRequest("keys", "empty", "keys must name at least one secret");
        }
        if (keys.size() > MAX_KEYS) {
            throw ApiException.badRequest("keys", "too_many", "keys holds at most " + MAX_KEYS + " secrets");
        }
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) == null) {
                throw ApiException.badRequest("keys[" + i + "]", "invalid_type", "Every entry of keys is a string");
            }
        }
        return keys;
    }

    /** The source URL, checked: absent, or an absolute https URL of at most {@value #MAX_URL_LENGTH} characters. */
    String checkedSourceUrl() {
        if (sourceUrl == null) {
            return null;
        }
        if (sourceUrl.length() > MAX_URL_LENGTH) {
            throw ApiException.badRequest("source_url", "too_long", "source_url is at most " + MAX_URL_LENGTH
                    + " characters");
        }
        try {
            URI uri = new URI(sourceUrl);
            if (uri.getScheme() == null || !"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw ApiException.badRequest("source_url", "invalid_url", "source_url must be an https URL");
            }
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("source_url", "invalid_url", "source_url must be an https URL");
        }
        return sourceUrl;
    }
}
