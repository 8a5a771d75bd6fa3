package com.hsrcpay.apikeys.localstack.hostile;

import java.util.List;

import static com.hsrcpay.apikeys.localstack.hostile.Port.COMMAND;
import static com.hsrcpay.apikeys.localstack.hostile.Port.GATEWAY;
import static com.hsrcpay.apikeys.localstack.hostile.Port.QUERY;

/**
 * The one list of what the suite attacks: every endpoint of the contract with the ports that serve it, plus the
 * operator, actuator and document endpoints and a pseudo-endpoint for paths nobody serves. {@code path} is a
 * template: {@code {account}}, {@code {key}}, {@code {application}}, {@code {webhook}} and {@code {delivery}} are filled
 * from the {@link World}.
 */
enum Endpoint {
    CREATE("POST", "/v1/api-keys/?account_id={account}", true, GATEWAY, COMMAND),
    LIST("GET", "/v1/api-keys/?account_id={account}", false, GATEWAY, QUERY),
    GET("GET", "/v1/api-keys/{key}", false, GATEWAY, QUERY),
    AS_OF("GET", "/v1/api-keys/{key}?as_of=2099-01-01T00:00:00Z", false, GATEWAY, QUERY),
    PATCH("PATCH", "/v1/api-keys/{key}", true, GATEWAY, COMMAND),
    REGENERATE("POST", "/v1/api-keys/{key}/regenerate", true, GATEWAY, COMMAND),
    CREDITS("POST", "/v1/api-keys/{key}/credits", true, GATEWAY, COMMAND),
    USAGE("GET", "/v1/api-keys/{key}/usage?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", false, GATEWAY, QUERY),
    DELETE("DELETE", "/v1/api-keys/{key}", false, GATEWAY, COMMAND),
    APPLICATION_REVOKE("DELETE", "/api/v1/applications/{application}/api-keys/{key}", false, GATEWAY, COMMAND),
    VERIFY("POST", "/v1/keys/verify", true, GATEWAY, QUERY),
    /** Public (no credential): anyone reports leaked keys. */
    REPORT_EXPOSURE("POST", "/v1/keys/report-exposure", true, GATEWAY, COMMAND),
    /** GitHub's secret scanning partner endpoint: its signature is the credential. */
    GITHUB_SECRET_SCANNING("POST", "/v1/secret-scanning/github", true, GATEWAY, COMMAND),
    WHOAMI("GET", "/v1/whoami", false, GATEWAY, QUERY),
    HISTORY("GET", "/v1/api-keys/{key}/history", false, GATEWAY, QUERY),
    HISTORY_VERIFY("GET", "/v1/api-keys/{key}/history/verify", false, GATEWAY, QUERY),
    AUDIT_EXPORT("GET", "/v1/audit/events?account_id={account}&from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z",
            false, GATEWAY, QUERY),
    INCLUSION_PROOF("GET", "/v1/api-keys/{key}/history/0/proof", false, GATEWAY, QUERY),
    CHECKPOINT("GET", "/v1/transparency/checkpoint", false, GATEWAY, QUERY),
    CHECKPOINT_KEY("GET", "/v1/transparency/public-key", false, GATEWAY, QUERY),
    CONSISTENCY("GET", "/v1/transparency/consistency?first=1&second=1", false, GATEWAY, QUERY),
    WEBHOOK_CREATE("POST", "/v1/webhook-endpoints?account_id={account}", true, GATEWAY, QUERY),
    WEBHOOK_LIST("GET", "/v1/webhook-endpoints?account_id={account}", false, GATEWAY, QUERY),
    WEBHOOK_GET("GET", "/v1/webhook-endpoints/{webhook}", false, GATEWAY, QUERY),
    WEBHOOK_PATCH("PATCH", "/v1/webhook-endpoints/{webhook}", true, GATEWAY, QUERY),
    WEBHOOK_DELETE("DELETE", "/v1/webhook-endpoints/{webhook}", false, GATEWAY, QUERY),
    WEBHOOK_DELIVERIES("GET", "/v1/webhook-endpoints/{webhook}/deliveries", false, GATEWAY, QUERY),
    WEBHOOK_RETRY("POST", "/v1/webhook-endpoints/{webhook}/deliveries/{delivery}/retry", false, GATEWAY, QUERY),
    REPLAY("POST", "/admin/projections/key-list/replay", false, QUERY),
    REPLAY_PROGRESS("GET", "/admin/projections/key-list/replay", false, QUERY),
    // the gateway serves no /actuator path (404 there): each service answers its own
    HEALTH("GET", "/actuator/health", false, COMMAND, QUERY),
    PROMETHEUS("GET", "/actuator/prometheus", false, COMMAND, QUERY),
    API_DOCS("GET", "/v3/api-docs", false, GATEWAY, COMMAND, QUERY),
    /** The Kafka topics' AsyncAPI document: public, served by the query service (and the gateway). */
    ASYNCAPI("GET", "/v3/asyncapi.json", false, GATEWAY, QUERY),
    /** Whatever path a case names that no endpoint serves (or not on that port). */
    UNKNOWN_PATH("GET", "/", false, GATEWAY, COMMAND, QUERY),
    /** Bytes that are not a well-formed HTTP request, whatever they name. */
    RAW_SOCKET("GET", "/", false, GATEWAY, COMMAND, QUERY);

    final String method;
    final String path;
    final boolean hasJsonBody;
    final List<Port> ports;

    Endpoint(String method, String path, boolean hasJsonBody, Port... ports) {
        this.method = method;
        this.path = path;
        this.hasJsonBody = hasJsonBody;
        this.ports = List.of(ports);
    }

    /** The endpoints that need a credential holding a key permission (all {@code /v1} and {@code /api/v1} ones). */
    static List<Endpoint> keyEndpoints() {
        return List.of(CREATE, LIST, GET, AS_OF, PATCH, REGENERATE, CREDITS, USAGE, DELETE, APPLICATION_REVOKE, VERIFY,
                WHOAMI, HISTORY, HISTORY_VERIFY, AUDIT_EXPORT, INCLUSION_PROOF, WEBHOOK_CREATE, WEBHOOK_LIST,
                WEBHOOK_GET, WEBHOOK_PATCH, WEBHOOK_DELETE, WEBHOOK_DELIVERIES, WEBHOOK_RETRY);
    }

    /** The webhook endpoints: their valid requests carry the World's webhook JWT, not the key-only one. */
    boolean isWebhook() {
        return name().startsWith("WEBHOOK_");
    }
}
