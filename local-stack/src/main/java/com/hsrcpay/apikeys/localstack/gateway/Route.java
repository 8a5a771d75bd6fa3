package com.hsrcpay.apikeys.localstack.gateway;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a request on the one API port goes. The gateway forwards only what this table names; every other path is
 * 404 at the gateway and reaches no service (actuator, admin and Boot's {@code /error} stay on the services' own
 * ports). {@code gateway/nginx.conf} routes the same way (checked by ComposeFileTest).
 */
public enum Route {
    COMMAND, QUERY,
    /** The merged OpenAPI document of both services, served by the gateway itself. */
    WHOLE_API_DOCUMENT;

    private static final Set<String> READS = Set.of("GET", "HEAD");
    private static final Set<String> ANY = Set.of();

    /** First match wins. A pattern is a path; {@code *} is one segment, a trailing {@code /**} any rest (or none). */
    private static final List<Rule> TABLE = List.of(
            new Rule(READS, "/v3/api-docs", WHOLE_API_DOCUMENT),
            new Rule(READS, "/v3/api-docs/swagger-config", COMMAND),
            new Rule(READS, "/v3/asyncapi.json", QUERY),
            new Rule(READS, "/swagger-ui.html", COMMAND),
            new Rule(READS, "/swagger-ui/**", COMMAND),
            new Rule(READS, "/v1/api-keys/**", QUERY),
            new Rule(READS, "/v1/audit/**", QUERY),
            new Rule(READS, "/v1/transparency/**", QUERY),
            new Rule(ANY, "/v1/keys/verify", QUERY),
            new Rule(ANY, "/v1/whoami", QUERY),
            // webhook endpoints and their deliveries live with the outbox, on the read side (configuration, not events)
            new Rule(ANY, "/v1/webhook-endpoints/**", QUERY),
            // writes, and every path the contract adds under /v1 later (exposure reports)
            new Rule(ANY, "/v1/**", COMMAND),
            new Rule(Set.of("DELETE"), "/api/v1/applications/*/api-keys/*", COMMAND));

    /** The route of a request, by method and raw path; empty: nothing on this port answers it. */
    public static Optional<Route> of(String method, String path) {
        return TABLE.stream().filter(rule -> rule.matches(method, path)).map(Rule::route).findFirst();
    }

    private record Rule(Set<String> methods, Pattern path, Route route) {

        Rule(Set<String> methods, String pattern, Route route) {
            this(methods, compile(pattern), route);
        }

        boolean matches(String method, String candidate) {
            return (methods.isEmpty() || methods.contains(method)) && path.matcher(candidate).matches();
        }

        private static Pattern compile(String pattern) {
            String rest = pattern.endsWith("/**") ? "(/.*)?" : "";
            String fixed = rest.isEmpty() ? pattern : pattern.substring(0, pattern.length() - 3);
            String[] parts = fixed.split("\\*", -1);
            StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
            for (int i = 1; i < parts.length; i++) {
                regex.append("[^/]+").append(Pattern.quote(parts[i]));
            }
            return Pattern.compile(regex + rest);
        }
    }
}
