package com.hsrcpay.apikeys.query.operations;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.openapi.WholeApiDocument;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * The OpenAPI document of the whole API (command and query service) for deployments whose front proxy cannot
 * merge documents: docker-compose's nginx sends {@code GET /v3/api-docs} on the API port here. Needs
 * {@code kms.openapi.command-service-url}; without it (a query service alone, or behind the local stack's
 * gateway, which merges by itself) the path does not exist.
 */
@Hidden
@RestController
public class WholeApiDocsController {

    public static final String PATH = WholeApiDocument.SERVICE_DOCS_PATH + "/whole-api";

    private static final Logger log = LoggerFactory.getLogger(WholeApiDocsController.class);

    private final String commandServiceUrl;
    private final WholeApiDocument wholeApi = new WholeApiDocument();

    public WholeApiDocsController(OpenApiSettings settings) {
        this.commandServiceUrl = settings.commandServiceUrl();
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> wholeApi(HttpServletRequest request) throws InterruptedException {
        if (commandServiceUrl.isBlank()) {
            throw ApiException.notFound("Not served here: set kms.openapi.command-service-url");
        }
        // the command service first: its document carries the API's title, servers and security schemes
        URI self = URI.create("http://localhost:" + request.getLocalPort());
        try {
            return ResponseEntity.ok(wholeApi.fetch(List.of(URI.create(commandServiceUrl), self)));
        } catch (IOException e) {
            log.warn("Whole API document unavailable: {}", e.getMessage());
            throw new ApiException(ApiError.of(502, "upstream_unavailable", "Service unavailable"));
        }
    }
}
