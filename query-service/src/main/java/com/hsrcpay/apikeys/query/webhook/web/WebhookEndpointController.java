package com.hsrcpay.apikeys.query.webhook.web;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.http.QueryParameters;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.query.webhook.application.DeliveryLog;
import com.hsrcpay.apikeys.query.webhook.application.WebhookEndpoints;
import com.hsrcpay.apikeys.query.webhook.model.WebhookEndpoint;
import com.hsrcpay.apikeys.query.webhook.model.WebhookRequestRefused;
import com.hsrcpay.apikeys.shared.key.Uuids;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code /v1/webhook-endpoints}: an account's endpoints in the credential's mode, their delivery log and manual
 * retries. Permissions {@code account:webhook:endpoint:create|read|update|delete}; another account's endpoint (or
 * one of the other mode) is 404, an {@code account_id} of another account 403.
 */
@RestController
@Tag(name = "Webhooks")
@RequestMapping(path = "/v1/webhook-endpoints", produces = MediaType.APPLICATION_JSON_VALUE)
public class WebhookEndpointController {

    private static final int MAX_LIMIT = 100;

    private final WebhookEndpoints endpoints;
    private final DeliveryLog deliveries;

    public WebhookEndpointController(WebhookEndpoints endpoints, DeliveryLog deliveries) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
    }

    @ApiResponse(responseCode = "201", description = "The endpoint, with its signing `secret` this once",
            useReturnTypeSchema = true)
    @Operation(operationId = "createWebhookEndpoint", summary = "Register a URL to hear about the account's keys")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Envelope.Single<CreatedWebhookEndpoint>> create(
            @AuthenticationPrincipal Caller caller,
            @RequestParam("account_id") String accountId,
            @RequestBody WebhookEndpointRequests.Create body) {
        caller.require(KeyPermission.WEBHOOK_ENDPOINT_CREATE).requireAccount(accountId);
        if (body.url() == null) {
            throw ApiException.badRequest("url", "required", "url is required");
        }
        WebhookEndpoints.Created created = asBadRequest(() -> endpoints.create(caller.accountId(), caller.mode(),
                body.url(), body.events(), body.description()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Envelope.of(CreatedWebhookEndpoint.of(created)));
    }

    @Operation(operationId = "listWebhookEndpoints", summary = "The account's endpoints in the credential's mode")
    @GetMapping
    public Envelope.Page<WebhookEndpointObject> list(
            @AuthenticationPrincipal Caller caller,
            @RequestParam("account_id") String accountId,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", defaultValue = "1"))
            @RequestParam(name = "page", required = false) String page,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100",
                    defaultValue = "10"))
            @RequestParam(name = "limit", required = false) String limit) {
        caller.require(KeyPermission.WEBHOOK_ENDPOINT_READ).requireAccount(accountId);
        int pageNumber = QueryParameters.positive("page", page, 1);
        int pageSize = limit(limit);
        List<WebhookEndpointObject> data = endpoints.list(caller.accountId(), caller.mode(), pageNumber, pageSize)
                .stream().map(WebhookEndpointObject::of).toList();
        return Envelope.page(data, endpoints.count(caller.accountId(), caller.mode()), pageNumber, pageSize);
    }

    @Operation(operationId = "getWebhookEndpoint", summary = "One endpoint")
    @GetMapping("/{id}")
    public Envelope.Single<WebhookEndpointObject> get(@AuthenticationPrincipal Caller caller,
                                                      @PathVariable("id") String id) {
        caller.require(KeyPermission.WEBHOOK_ENDPOINT_READ);
        return Envelope.of(WebhookEndpointObject.of(endpoint(caller, id)));
    }

    @Operation(operationId = "updateWebhookEndpoint", summary = "Change an endpoint's URL, events, description or status")
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Envelope.Single<WebhookEndpointObject> patch(@AuthenticationPrincipal Caller caller,
                                                        @PathVariable("id") String id,
                                                        @RequestBody WebhookEndpointRequests.Patch body) {
        caller.require(KeyPermission.WEBHOOK_ENDPOINT_UPDATE);
        UUID endpointId = endpointId(id);
        WebhookEndpoint changed = asBadRequest(() -> endpoints.patch(caller.accountId(), caller.mode(), endpointId,
                        new WebhookEndpoints.Change(body.url(), body.events(), body.description(), body.status())))
                .orElseThrow(WebhookEndpointController::noSuchEndpoint);
        return Envelope.of(WebhookEndpointObject.of(changed));
    }

    @Operation(operationId = "deleteWebhookEndpoint", summary = "Delete an endpoint and its delivery log")
    @DeleteMapping("/{id}")
    public Envelope.Single<WebhookEndpointObject> delete(@AuthenticationPrincipal Caller caller,
                                                         @PathVariable("id") String id) {
        caller.require(KeyPermission.WEBHOOK_ENDPOINT_DELETE);
        WebhookEndpoint endpoint = endpoint(caller, id);
        if (!endpoints.delete(caller.accountId(), caller.mode(), endpoint.id())) {
            throw noSuchEndpoint();
        }
        return Envelope.of(WebhookEndpointObject.of(endpoint));
    }

    @Operation(operationId = "listWebhookDeliveries", summary = "An endpoint's deliveries, newest first")
    @GetMapping("/{id}/deliveries")
    public Envelope.Page<WebhookDeliveryObject> deliveries(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", defaultValue = "1"))
            @RequestParam(name = "page", required = false) String page,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100",
                    defaultValue = "10"))
            @RequestParam(name = "limit", required = false) String limit) {
        caller.require(KeyPermission.WEBHOOK_ENDPOINT_READ);
        int pageNumber = QueryParameters.positive("page", page, 1);
        int pageSize = limit(limit);
        WebhookEndpoint endpoint = endpoint(caller, id);
        List<WebhookDeliveryObject> data = deliveries.page(endpoint.id(), pageNumber, pageSize).stream()
                .map(WebhookDeliveryObject::of).toList();
        return Envelope.page(data, deliveries.count(endpoint.id()), pageNumber, pageSize);
    }

    @ApiResponse(responseCode = "202", description = "One more attempt is queued; the retry schedule stays as it was",
            useReturnTypeSchema = true)
    @Operation(operationId = "retryWebhookDelivery", summary = "Send a delivery again, whatever its state")
    @PostMapping("/{id}/deliveries/{deliveryId}/retry")
    public ResponseEntity<Envelope.Single<Map<String, Object>>> retry(@AuthenticationPrincipal Caller caller,
                                                                     @PathVariable("id") String id,
                                                                     @PathVariable("deliveryId") String deliveryId) {
        caller.require(KeyPermission.WEBHOOK_ENDPOINT_UPDATE);
        WebhookEndpoint endpoint = endpoint(caller, id);
        UUID delivery = Uuids.parseCanonical(deliveryId).orElseThrow(() -> ApiException.notFound("No such delivery"));
        if (!deliveries.requestRetry(endpoint.id(), delivery)) {
            throw ApiException.notFound("No such delivery");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Envelope.of(Map.of("id", delivery.toString())));
    }

    /** A broken rule of the model is the caller's 400, naming the field. */
    private static <T> T asBadRequest(Supplier<T> work) {
        try {
            return work.get();
        } catch (WebhookRequestRefused refused) {
            throw ApiException.badRequest(refused.field(), refused.reason(), refused.getMessage());
        }
    }

    private WebhookEndpoint endpoint(Caller caller, String id) {
        return endpoints.get(caller.accountId(), caller.mode(), endpointId(id))
                .orElseThrow(WebhookEndpointController::noSuchEndpoint);
    }

    private static UUID endpointId(String id) {
        return Uuids.parseCanonical(id).orElseThrow(WebhookEndpointController::noSuchEndpoint);
    }

    private static int limit(String limit) {
        int size = QueryParameters.positive("limit", limit, 10);
        if (size > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "too_large", "limit may be at most " + MAX_LIMIT);
        }
        return size;
    }

    private static ApiException noSuchEndpoint() {
        return ApiException.notFound("No such webhook endpoint");
    }
}
