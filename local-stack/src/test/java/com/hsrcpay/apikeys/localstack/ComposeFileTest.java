package com.hsrcpay.apikeys.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.localstack.gateway.PathRules;
import com.hsrcpay.apikeys.localstack.gateway.Route;
import com.hsrcpay.apikeys.query.operations.WholeApiDocsController;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What can be checked of docker-compose.yml (and the images and gateway it uses) without a Docker engine:
 * the services, pinned images, health checks, start order on health, named volumes, the one API port, that
 * every environment variable set for a service is one the service binds, and that the gateway (nginx) routes, refuses,
 * forwards and answers errors as the local stack's gateway does ({@link Route}, {@link PathRules}).
 */
class ComposeFileTest {

    private static final Set<String> EXPECTED_SERVICES =
            Set.of("postgres", "kafka", "axonserver", "command-service", "query-service", "gateway");
    /** Service name to the yml whose ${...} placeholders are the variables that service binds. */
    private static final Map<String, String> SERVICE_CONFIG = Map.of(
            "command-service", "command-service/src/main/resources/application.yml",
            "query-service", "query-service/src/main/resources/query-service.yml");
    /** The packages whose @ConfigurationProperties records each service binds (its own and the shared modules'). */
    private static final Map<String, String[]> SERVICE_SETTINGS = Map.of(
            "command-service", new String[]{"com.hsrcpay.apikeys.command", "com.hsrcpay.apikeys.edge",
                    "com.hsrcpay.apikeys.database", "com.hsrcpay.apikeys.eventstore", "com.hsrcpay.apikeys.verification"},
            "query-service", new String[]{"com.hsrcpay.apikeys.query", "com.hsrcpay.apikeys.edge",
                    "com.hsrcpay.apikeys.database", "com.hsrcpay.apikeys.eventstore", "com.hsrcpay.apikeys.verification"});
    /** Read by the JVM or by Spring Boot itself (not through a placeholder), so allowed for the services. */
    private static final Set<String> STANDARD_VARIABLES = Set.of("SPRING_PROFILES_ACTIVE", "JAVA_TOOL_OPTIONS");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)");

    private static Path root;
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void readCompose() throws IOException {
        root = repositoryRoot();
        compose = new Yaml().load(Files.readString(root.resolve("docker-compose.yml")));
        services = new LinkedHashMap<>();
        map(compose.get("services"), "services").forEach((name, body) -> services.put(name, map(body, name)));
    }

    @Test
    void hasTheWholeStack() {
        assertThat(services.keySet()).as("services in docker-compose.yml").containsExactlyInAnyOrderElementsOf(EXPECTED_SERVICES);
    }

    @Test
    void everyImageIsPinned() {
        services.forEach((name, service) -> {
            Object image = service.get("image");
            assertThat(image).as("%s: an image (built services name theirs too)", name).isInstanceOf(String.class);
            String ref = (String) image;
            String afterRepository = ref.substring(ref.lastIndexOf('/') + 1);
            assertThat(afterRepository).as("%s: image %s has a tag", name, ref).contains(":");
            String tag = afterRepository.substring(afterRepository.indexOf(':') + 1);
            assertThat(tag).as("%s: image %s is pinned", name, ref).isNotBlank().isNotEqualToIgnoringCase("latest")
                    .doesNotStartWith("latest");
        });
    }

    @Test
    void builtServicesUseTheirDockerfile() throws IOException {
        for (String name : SERVICE_CONFIG.keySet()) {
            Map<String, Object> build = map(services.get(name).get("build"), name + ".build");
            assertThat(build.get("context")).as("%s: the build context is the reactor root", name).isEqualTo(".");
            Path dockerfile = root.resolve((String) build.get("dockerfile"));
            assertThat(dockerfile).as("%s: Dockerfile", name).isEqualTo(root.resolve(name).resolve("Dockerfile")).exists();
            String text = Files.readString(dockerfile);
            assertThat(text).as("%s: multi-stage, layered jar, non-root, memory from the container", name)
                    .contains("FROM eclipse-temurin:17-jdk AS build", "FROM eclipse-temurin:17-jre", "./mvnw",
                            "-Djarmode=tools", "extract --layers --launcher", "/extracted/dependencies/",
                            "/extracted/spring-boot-loader/", "/extracted/snapshot-dependencies/",
                            "/extracted/application/", "USER 10001", "-XX:MaxRAMPercentage=",
                            "org.springframework.boot.loader.launch.JarLauncher");
            String port = environment(name).get(name.equals("command-service") ? "KMS_COMMAND_PORT" : "KMS_QUERY_PORT");
            assertThat(text).as("%s: EXPOSE the port compose gives it", name).contains("EXPOSE " + port);
        }
        assertThat(root.resolve(".dockerignore")).exists();
        assertThat(Files.readString(root.resolve(".dockerignore"))).contains("**/target", ".git");
    }

    @Test
    void everyServiceHasAHealthCheck() {
        services.forEach((name, service) -> {
            Map<String, Object> health = map(service.get("healthcheck"), name + ".healthcheck");
            assertThat(health.get("disable")).as("%s: health check not disabled", name).isNotEqualTo(true);
            Object test = health.get("test");
            assertThat(test).as("%s: healthcheck.test", name).isNotNull();
            String command = String.valueOf(test);
            assertThat(command).as("%s: a real check", name).doesNotContain("NONE");
        });
        assertThat(healthCommand("postgres")).contains("pg_isready");
        assertThat(healthCommand("kafka")).contains("kafka-broker-api-versions.sh");
        assertThat(healthCommand("command-service")).contains("/actuator/health", "/127.0.0.1/" + environment("command-service").get("KMS_COMMAND_PORT"));
        assertThat(healthCommand("query-service")).contains("/actuator/health", "/127.0.0.1/" + environment("query-service").get("KMS_QUERY_PORT"));
        assertThat(healthCommand("axonserver")).contains("/actuator/health");
    }

    @Test
    void startOrderWaitsForHealth() {
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            map(dependsOn, name + ".depends_on (the long form, to name a condition)").forEach((dependency, spec) -> {
                assertThat(services).as("%s depends on an existing service", name).containsKey(dependency);
                assertThat(map(spec, name + ".depends_on." + dependency).get("condition"))
                        .as("%s waits for %s to be healthy", name, dependency).isEqualTo("service_healthy");
            });
        });
        assertThat(dependencies("command-service")).contains("postgres", "kafka");
        assertThat(dependencies("query-service")).contains("postgres", "kafka");
        assertThat(dependencies("gateway")).contains("command-service", "query-service");
    }

    @Test
    void namedVolumesAreDeclaredAndUsed() {
        Set<String> declared = map(compose.get("volumes"), "volumes").keySet();
        Set<String> used = new TreeSet<>();
        services.forEach((name, service) -> {
            Object volumes = service.get("volumes");
            if (volumes == null) {
                return;
            }
            for (Object volume : (List<?>) volumes) {
                String source = volume instanceof Map<?, ?> long_ ? String.valueOf(long_.get("source"))
                        : String.valueOf(volume).split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    assertThat(declared).as("%s mounts volume %s, declared under volumes:", name, source).contains(source);
                    used.add(source);
                }
            }
        });
        assertThat(used).as("every declared volume is mounted").containsExactlyInAnyOrderElementsOf(declared);
        for (String stateful : List.of("postgres", "kafka", "axonserver")) {
            assertThat(String.valueOf(services.get(stateful).get("volumes"))).as("%s keeps its data in a named volume", stateful)
                    .isNotEqualTo("null");
        }
    }

    @Test
    void onlyTheGatewayPublishesAPortAnd8080IsIt() {
        services.forEach((name, service) -> {
            if (!name.equals("gateway")) {
                assertThat(service.get("ports")).as("%s publishes no port: 8080 is the one entry", name).isNull();
            }
        });
        assertThat((List<?>) services.get("gateway").get("ports")).extracting(String::valueOf).containsExactly("8080:8080");
    }

    @Test
    void everyVariableSetForAServiceIsOneItBinds() throws IOException {
        List<String> unbound = new ArrayList<>();
        for (Map.Entry<String, String> entry : SERVICE_CONFIG.entrySet()) {
            String service = entry.getKey();
            Path config = root.resolve(entry.getValue());
            Set<String> bound = placeholders(Files.readString(config));
            assertThat(bound).as("placeholders in %s", config).isNotEmpty();
            Set<String> settings = SettingsVariables.boundIn(SERVICE_SETTINGS.get(service));
            assertThat(settings).as("variables of %s's settings records", service).contains("KMS_DB_REQUEST_ACQUIRE_TIMEOUT");
            for (String variable : environment(service).keySet()) {
                if (!bound.contains(variable) && !SettingsVariables.binds(settings, variable)
                        && !STANDARD_VARIABLES.contains(variable)) {
                    unbound.add(service + ": " + variable + " is set in docker-compose.yml but " + root.relativize(config)
                            + " has no ${" + variable + "} placeholder and no settings record binds it, so the service"
                            + " never reads it");
                }
            }
        }
        if (!unbound.isEmpty()) {
            fail("Environment variables the services do not bind:\n  " + String.join("\n  ", unbound)
                    + "\n(allowed besides placeholders: " + STANDARD_VARIABLES + ")");
        }
        for (String service : SERVICE_CONFIG.keySet()) {
            assertThat(environment(service)).as("%s: what it needs to reach the stack", service)
                    .containsKeys("KMS_DB_URL", "KMS_DB_USER", "KMS_DB_PASSWORD", "KMS_KAFKA_BOOTSTRAP_SERVERS",
                            "KMS_AUTH_JWT_HMAC_SECRET");
            assertThat(environment(service).get("KMS_DB_URL")).contains("//postgres:5432/");
            assertThat(environment(service).get("KMS_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
        }
    }

    /** docker-compose.axonserver.yml turns both services to the axonserver profile, which their resources define. */
    @Test
    void theAxonServerOverrideSwitchesBothServicesToTheirAxonServerProfile() throws IOException {
        Map<String, Object> override = new Yaml().load(Files.readString(root.resolve("docker-compose.axonserver.yml")));
        Map<String, Object> overridden = map(override.get("services"), "override services");
        assertThat(overridden.keySet()).containsExactlyInAnyOrder("command-service", "query-service");
        Map<String, String> profileFiles = Map.of(
                "command-service", "command-service/src/main/resources/application-axonserver.yml",
                "query-service", "query-service/src/main/resources/query-service-axonserver.yml");
        for (String service : overridden.keySet()) {
            Map<String, Object> body = map(overridden.get(service), service);
            assertThat(map(body.get("environment"), service + " environment"))
                    .containsEntry("SPRING_PROFILES_ACTIVE", "axonserver");
            assertThat(map(map(body.get("depends_on"), service + " depends_on").get("axonserver"), "axonserver"))
                    .containsEntry("condition", "service_healthy");
            assertThat(root.resolve(profileFiles.get(service))).as("%s has an axonserver profile", service).exists();
            assertThat(environment(service)).as("%s finds Axon Server on the compose network", service)
                    .containsEntry("KMS_AXONSERVER_SERVERS", "axonserver:8124");
        }
    }

    @Test
    void theDevJwtSecretIsADefaultLongEnoughForHs256() {
        Pattern withDefault = Pattern.compile("^\\$\\{KMS_AUTH_JWT_HMAC_SECRET:-(.+)}$");
        Set<String> secrets = new LinkedHashSet<>();
        for (String service : SERVICE_CONFIG.keySet()) {
            String value = environment(service).get("KMS_AUTH_JWT_HMAC_SECRET");
            Matcher m = withDefault.matcher(value);
            assertThat(m.matches()).as("%s: KMS_AUTH_JWT_HMAC_SECRET is ${KMS_AUTH_JWT_HMAC_SECRET:-<dev default>}, was %s",
                    service, value).isTrue();
            assertThat(m.group(1).getBytes(StandardCharsets.UTF_8).length).as("%s: HS256 needs >= 32 bytes", service)
                    .isGreaterThanOrEqualTo(32);
            secrets.add(value);
        }
        assertThat(secrets).as("both services verify the same tokens").hasSize(1);
    }

    /** nginx cannot merge JSON: the API port's /v3/api-docs is the query service's merge of both services' documents. */
    @Test
    void theGatewayServesTheWholeApiDocumentFromTheQueryService() throws IOException {
        String nginx = nginx();
        Matcher docs = Pattern.compile("location = /v3/api-docs \\{.*?proxy_pass http://\\$kms_docs([^;]+);", Pattern.DOTALL)
                .matcher(nginx);
        assertThat(docs.find()).as("gateway/nginx.conf has an exact location for /v3/api-docs").isTrue();
        assertThat(docs.group(1)).isEqualTo(WholeApiDocsController.PATH);
        assertThat(nginx).contains("set $kms_docs \"" + upstreamOf(nginx, "query-service", "KMS_QUERY_PORT") + "\";");
        assertThat(map(services.get("query-service").get("environment"), "query-service environment"))
                .containsEntry("KMS_OPENAPI_COMMAND_SERVICE_URL", "http://command-service:8081");
    }

    /**
     * Evaluates the gateway's nginx routing like nginx does (the exact /v3/api-docs location, else the map: first
     * matching regex, else the default, which is "no route") against Route.of.
     */
    @Test
    void theGatewayRoutesLikeTheLocalStack() throws IOException {
        String nginx = nginx();
        assertThat(String.valueOf(services.get("gateway").get("volumes"))).contains("./gateway/nginx.conf:/etc/nginx/nginx.conf");
        NginxMap routes = NginxMap.parse(nginx, "\"$request_method $request_uri\"", "$kms_upstream");
        assertThat(nginx).contains("proxy_pass http://$kms_upstream;");
        assertThat(routes.defaultValue()).as("no default route: unknown paths are 404 at the gateway").isEmpty();
        assertThat(Pattern.compile("if \\(\\$kms_upstream = \"\"\\) \\{\\s*set \\$kms_error 404;\\s*return 404 \\$kms_error_body;")
                .matcher(nginx).find()).as("no route: 404 in the envelope").isTrue();
        String command = upstreamOf(nginx, "command-service", "KMS_COMMAND_PORT");
        String query = upstreamOf(nginx, "query-service", "KMS_QUERY_PORT");
        assertThat(routes.values()).as("the query-side locations").contains(query)
                .allSatisfy(upstream -> assertThat(upstream).isIn(command, query));

        List<String> paths = List.of("/v1/api-keys", "/v1/api-keys/", "/v1/api-keys/9b1f0e0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
                "/v1/api-keys/x/regenerate", "/v1/api-keys/x/history/verify", "/v1/api-keysfoo", "/v1/audit",
                "/v1/audit/events", "/v1/auditx", "/v1/keys/verify", "/v1/keys/verify/x", "/v1/keys", "/v1/whoami",
                "/v1/whoami/x", "/v1/whoamix", "/v1", "/v1x", "/v1/webhook-endpoints", "/v1/webhook-endpoints/x/deliveries/y/retry", "/v1/webhook-endpointsx", "/v1/transparency/entries",
                "/v1/transparency", "/v1/transparency/checkpoint", "/v1/transparencyx", "/v1/api-keys/x/history/0/proof",
                "/api/v1/applications/a/api-keys/b", "/api/v1/applications/a/api-keys/b/c", "/api/v1/applications/a",
                "/api/v1/applications//api-keys/b", "/actuator", "/actuator/health", "/admin/projections/key-list/replay",
                "/error", "/", "/v2/api-keys", "/x/v1/whoami", "/v3/api-docs", "/v3/api-docs/", "/v3/api-docs/swagger-config",
                "/v3/api-docs/whole-api", "/swagger-ui.html", "/swagger-ui", "/swagger-ui/index.html", "/swagger-uix",
                "/v3/asyncapi.json", "/v3/asyncapi.jsonx", "/v3/asyncapi");
        List<String> mismatches = new ArrayList<>();
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            for (String path : paths) {
                for (String query_ : List.of("", "?account_id=acct_dev&page=1")) {
                    String nginxRoute = path.equals("/v3/api-docs")
                            ? (method.equals("GET") || method.equals("HEAD") ? "whole API document" : "404")
                            : routes.lookup(method + " " + path + query_).map(upstream -> upstream.isEmpty() ? "404" : upstream)
                                    .orElseThrow();
                    String javaRoute = Route.of(method, path).map(route -> switch (route) {
                        case COMMAND -> command;
                        case QUERY -> query;
                        case WHOLE_API_DOCUMENT -> "whole API document";
                    }).orElse("404");
                    if (!javaRoute.equals(nginxRoute)) {
                        mismatches.add(method + " " + path + query_ + ": nginx -> " + nginxRoute + ", Route.java -> " + javaRoute);
                    }
                }
            }
        }
        assertThat(mismatches).as("gateway/nginx.conf routes differently from Route.java").isEmpty();
    }

    /**
     * The name of the nginx upstream that sends to this compose service on the port its environment gives it. An
     * upstream, not host:port in the map: only an upstream keeps connections to the service open (keepalive, which
     * needs a shared-memory zone) and looks the name up again when Docker's DNS changes it (resolve).
     */
    private String upstreamOf(String nginx, String service, String portVariable) {
        String server = service + ":" + environment(service).get(portVariable);
        Matcher upstreams = Pattern.compile("upstream ([a-z-]+) \\{([^}]*)}").matcher(nginx);
        List<String> names = new ArrayList<>();
        while (upstreams.find()) {
            String body = upstreams.group(2);
            if (body.contains("server " + server + " resolve;")) {
                assertThat(body).as("upstream %s", upstreams.group(1)).containsPattern("zone \\S+ \\d+k;")
                        .containsPattern("keepalive \\d+;");
                names.add(upstreams.group(1));
            }
        }
        assertThat(names).as("one upstream in gateway/nginx.conf sends to %s", server).hasSize(1);
        return names.get(0);
    }

    /** The refusals nginx makes before routing are those of PathRules (400 and 404) and RequestLineGuard (400). */
    @Test
    void theGatewayRefusesHostileTargetsLikeTheLocalStack() throws IOException {
        String nginx = nginx();
        NginxMap refusals = NginxMap.parse(nginx, "$request", "$kms_refusal");
        assertThat(nginx).contains("if ($kms_refusal = 400) {", "if ($kms_refusal = 404) {");
        List<String> targets = List.of("/v1/whoami", "/v1/api-keys/a.b", "/v1/api-keys/a..b", "/v1/api-keys/%C3%A9",
                "/v1/api-keys/?q=a//b", "/v1/api-keys/?q=../x", "/v1/api-keys/?q=%2e%2e", "/v1/whoami?x=;",
                "//127.0.0.1:8081/actuator", "//v1/whoami", "/v1//whoami", "/v1/api-keys/", "/v1/../actuator",
                "/v1/api-keys/../../actuator", "/v1/./whoami", "/v1/whoami/.", "/v1/whoami/..", "/..", "/.", "/v1/%2e%2e/x",
                "/v1/%2E%2E/x", "/v1/.%2e/x", "/v1/a%2fb", "/v1/a%2F..", "/v1/a%5cb", "/v1/whoami%00", "/v1/who%0d%0aami",
                "/v1/whoami%09", "/v1/%77hoami", "/v1/whoami%7f", "/v1/whoami;jsessionid=1", "/v1/a;b/c", "/v1/a\\b",
                "/v1/<probe>", "/v1/{id}", "/v1/a|b", "/v1/a^b", "/v1/a\"b", "/v1/a`b", "/v1/a[b]", "/v1/\u00e9",
                "/v1/api-keys/a-b_c~d!$&'()*+,=:@x", "/v1/api-keys/?q=<x>&y={z}");
        List<String> mismatches = new ArrayList<>();
        for (String target : targets) {
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            String javaRefusal = PathRules.refusal(path).map(error -> Integer.toString(error.status())).orElse("");
            String nginxRefusal = refusals.lookup("GET " + target + " HTTP/1.1").orElseThrow();
            if (!javaRefusal.equals(nginxRefusal)) {
                mismatches.add(target + ": nginx -> '" + nginxRefusal + "', PathRules -> '" + javaRefusal + "'");
            }
        }
        for (String requestLine : List.of("GET http://evil.example/v1/whoami HTTP/1.1", "GET https://localhost/ HTTP/1.1",
                "CONNECT evil.example:443 HTTP/1.1", "GET evil.example:443 HTTP/1.1", "OPTIONS * HTTP/1.1",
                "GET /v1/whoami", "GET //v1/whoami")) {
            if (!refusals.lookup(requestLine).orElseThrow().equals("400")) {
                mismatches.add(requestLine + ": nginx does not refuse it with 400 as RequestLineGuard does");
            }
        }
        assertThat(mismatches).as("gateway/nginx.conf refuses differently from PathRules / RequestLineGuard").isEmpty();
    }

    /** Every error nginx answers itself has a JSON body in the envelope of its path, for every status it can send. */
    @Test
    void theGatewaysOwnErrorsAreTheEnvelopeOfTheirPath() throws IOException {
        String nginx = nginx();
        assertThat(nginx).contains("server_tokens off;", "default_type application/json;");
        Set<String> handled = new TreeSet<>();
        Set<String> kinds = new TreeSet<>(Set.of("rejected"));
        Matcher errorPage = Pattern.compile("^\\s*error_page ([0-9 ]+?) (=400 )?/_kms/error/([0-9a-z]+);", Pattern.MULTILINE)
                .matcher(nginx);
        while (errorPage.find()) {
            List<String> codes = List.of(errorPage.group(1).trim().split(" +"));
            if (errorPage.group(2) == null) {
                assertThat(codes).as("error_page %s renders its own status", codes).contains(errorPage.group(3));
            }
            handled.addAll(codes);
            kinds.add(errorPage.group(3));
        }
        assertThat(handled).containsAll(List.of("400", "404", "405", "413", "414", "494", "500", "501", "502", "503", "504",
                "505"));
        assertThat(nginx).as("no hostile input is a 5xx: what nginx does not implement is 400")
                .contains("error_page 501 505 =400 /_kms/error/unsupported;");
        NginxMap bodies = NginxMap.parse(nginx, "\"$kms_envelope $kms_error\"", "$kms_error_body");
        for (String kind : kinds) {
            int status = kind.equals("rejected") || kind.equals("unsupported") ? 400 : Integer.parseInt(kind);
            JsonNode v1 = json(bodies.lookup("v1 " + kind).filter(body -> !body.isEmpty()).orElseThrow(
                    () -> new AssertionError("no /v1 body for " + kind)));
            assertThat(v1.path("success").asBoolean(true)).as(kind).isFalse();
            assertThat(v1.at("/error/code").asInt()).as(kind).isEqualTo(status);
            assertThat(v1.at("/error/details/reason").asText()).as(kind).isNotBlank();
            JsonNode applications = json(bodies.lookup("applications " + kind).filter(body -> !body.isEmpty()).orElseThrow(
                    () -> new AssertionError("no applications body for " + kind)));
            assertThat(applications.path("code").asInt()).as(kind).isEqualTo(status);
            assertThat(applications.path("details").isArray()).as(kind).isTrue();
        }
        assertThat(bodies.lookup("v1 rejected").map(ComposeFileTest::json).orElseThrow().at("/error/details/reason").asText())
                .isEqualTo(ApiError.rejectedRequest().reason());
    }

    /** nginx tells the services the TCP peer, never what a client claimed; the services trust it from its network only. */
    @Test
    void theGatewayReplacesForwardingHeadersAndTheServicesTrustOnlyItsNetwork() throws IOException {
        String nginx = nginx();
        assertThat(nginx).doesNotContain("$proxy_add_x_forwarded_for")
                .contains("proxy_set_header X-Forwarded-For $remote_addr;");
        for (String cleared : List.of("Forwarded", "X-Real-IP", "X-Forwarded-By", "X-Forwarded-Prefix", "X-Forwarded-Server",
                "X-Forwarded-Ssl")) {
            assertThat(nginx).as("clears %s", cleared).contains("proxy_set_header " + cleared + " \"\";");
        }
        Map<String, Object> network = map(map(compose.get("networks"), "networks").get("default"), "networks.default");
        List<?> ipam = (List<?>) map(network.get("ipam"), "networks.default.ipam").get("config");
        String subnet = String.valueOf(map(ipam.get(0), "networks.default.ipam.config[0]").get("subnet"));
        for (String service : SERVICE_CONFIG.keySet()) {
            assertThat(environment(service)).as("%s trusts forwarding headers from the compose network only", service)
                    .containsEntry("KMS_TRUSTED_PROXIES", subnet);
        }
    }

    private static String nginx() throws IOException {
        return Files.readString(root.resolve("gateway/nginx.conf"));
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /**
     * An nginx map: exact keys, then regexes in order, else the default (empty when not given); strings unescaped as
     * nginx reads them.
     */
    private record NginxMap(String defaultValue, Map<String, String> exact, Map<Pattern, String> regexes) {

        private static final Pattern ENTRY = Pattern.compile(
                "^\\s*(default|\"~((?:[^\"\\\\]|\\\\.)+)\"|\"((?:[^\"\\\\]|\\\\.)+)\"|[^\\s\"']+)\\s+(\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([^\\s;]+));",
                Pattern.MULTILINE);

        static NginxMap parse(String nginx, String source, String variable) {
            Matcher block = Pattern.compile("map\\s+" + Pattern.quote(source) + "\\s+" + Pattern.quote(variable) + "\\s*\\{(.*?)\\n\\s*}",
                    Pattern.DOTALL).matcher(nginx);
            assertThat(block.find()).as("gateway/nginx.conf maps %s to %s", source, variable).isTrue();
            String defaultValue = "";
            Map<String, String> exact = new LinkedHashMap<>();
            Map<Pattern, String> regexes = new LinkedHashMap<>();
            Matcher entry = ENTRY.matcher(block.group(1));
            while (entry.find()) {
                String value = entry.group(5) != null ? unescape(entry.group(5))
                        : entry.group(6) != null ? entry.group(6) : entry.group(7);
                if (entry.group(1).equals("default")) {
                    defaultValue = value;
                } else if (entry.group(2) != null) {
                    regexes.put(Pattern.compile(unescape(entry.group(2))), value);
                } else {
                    exact.put(entry.group(3) != null ? unescape(entry.group(3)) : entry.group(1), value);
                }
            }
            return new NginxMap(defaultValue, exact, regexes);
        }

        Optional<String> lookup(String subject) {
            if (exact.containsKey(subject)) {
                return Optional.of(exact.get(subject));
            }
            return Optional.of(regexes.entrySet().stream().filter(rule -> rule.getKey().matcher(subject).find())
                    .map(Map.Entry::getValue).findFirst().orElse(defaultValue));
        }

        Collection<String> values() {
            List<String> all = new ArrayList<>(exact.values());
            all.addAll(regexes.values());
            return all;
        }

        /** As nginx reads a quoted string: a backslash before a quote or a backslash escapes it. */
        private static String unescape(String quoted) {
            return quoted.replaceAll("\\\\([\"'\\\\])", "$1");
        }
    }

    private static Set<String> dependencies(String service) {
        return map(services.get(service).get("depends_on"), service + ".depends_on").keySet();
    }

    private static String healthCommand(String service) {
        return String.valueOf(map(services.get(service).get("healthcheck"), service).get("test"));
    }

    /** A service's environment, from either compose form (map, or list of NAME=value). */
    private static Map<String, String> environment(String service) {
        Object env = services.get(service).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> l) {
            for (Object item : l) {
                String[] pair = String.valueOf(item).split("=", 2);
                result.put(pair[0], pair.length > 1 ? pair[1] : null);
            }
        } else {
            fail(service + " has no environment in docker-compose.yml");
        }
        return result;
    }

    static Set<String> placeholders(String yml) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(yml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            fail("docker-compose.yml: " + what + " should be a mapping but is " + value);
        }
        return (Map<String, Object>) value;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docker-compose.yml")) && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("docker-compose.yml not found above " + dir);
    }
}
