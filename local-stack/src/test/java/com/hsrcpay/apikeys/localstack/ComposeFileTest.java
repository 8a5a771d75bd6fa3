package com.hsrcpay.apikeys.localstack;

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What can be checked of docker-compose.yml (and the images and gateway it uses) without a Docker engine:
 * the services, pinned images, health checks, start order on health, named volumes, the one API port, that
 * every environment variable set for a service is one the service binds, and that the gateway routes as
 * {@link Route} does.
 */
class ComposeFileTest {

    private static final Set<String> EXPECTED_SERVICES =
            Set.of("postgres", "kafka", "axonserver", "command-service", "query-service", "gateway");
    /** Service name to the yml whose ${...} placeholders are the variables that service binds. */
    private static final Map<String, String> SERVICE_CONFIG = Map.of(
            "command-service", "command-service/src/main/resources/application.yml",
            "query-service", "query-service/src/main/resources/query-service.yml");
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
            for (String variable : environment(service).keySet()) {
                if (!bound.contains(variable) && !STANDARD_VARIABLES.contains(variable)) {
                    unbound.add(service + ": " + variable + " is set in docker-compose.yml but " + root.relativize(config)
                            + " has no ${" + variable + "} placeholder, so the service never reads it");
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
        String nginx = Files.readString(root.resolve("gateway/nginx.conf"));
        Matcher docs = Pattern.compile("location = /v3/api-docs \\{[^}]*proxy_pass http://\\$kms_docs([^;]+);[^}]*}")
                .matcher(nginx);
        assertThat(docs.find()).as("gateway/nginx.conf has an exact location for /v3/api-docs").isTrue();
        assertThat(docs.group(1)).isEqualTo(WholeApiDocsController.PATH);
        assertThat(nginx).contains("set $kms_docs \"query-service:8082\";");
        assertThat(map(services.get("query-service").get("environment"), "query-service environment"))
                .containsEntry("KMS_OPENAPI_COMMAND_SERVICE_URL", "http://command-service:8081");
    }

    /** Evaluates the gateway's nginx map like nginx does (first matching regex, else default) against Route.of. */
    @Test
    void theGatewayRoutesLikeTheLocalStack() throws IOException {
        String nginx = Files.readString(root.resolve("gateway/nginx.conf"));
        assertThat(String.valueOf(services.get("gateway").get("volumes"))).contains("./gateway/nginx.conf:/etc/nginx/nginx.conf");
        Matcher block = Pattern.compile("map\\s+\"\\$request_method \\$request_uri\"\\s+\\$kms_upstream\\s*\\{(.*?)}",
                Pattern.DOTALL).matcher(nginx);
        assertThat(block.find()).as("gateway/nginx.conf has the routing map").isTrue();
        assertThat(nginx).contains("proxy_pass http://$kms_upstream;");
        String defaultUpstream = null;
        Map<Pattern, String> rules = new LinkedHashMap<>();
        Matcher line = Pattern.compile("^\\s*(default|\"~([^\"]+)\")\\s+\"([^\"]+)\";", Pattern.MULTILINE).matcher(block.group(1));
        while (line.find()) {
            if (line.group(1).equals("default")) {
                defaultUpstream = line.group(3);
            } else {
                rules.put(Pattern.compile(line.group(2)), line.group(3));
            }
        }
        String command = "command-service:" + environment("command-service").get("KMS_COMMAND_PORT");
        String query = "query-service:" + environment("query-service").get("KMS_QUERY_PORT");
        assertThat(defaultUpstream).as("everything else goes to the command service").isEqualTo(command);
        assertThat(rules.values()).as("the query-side locations").contains(query)
                .allSatisfy(upstream -> assertThat(upstream).isIn(command, query));
        assertThat(nginx).contains("/v1/api-keys", "/v1/audit", "/v1/keys/verify", "/v1/whoami");

        List<String> paths = List.of("/v1/api-keys", "/v1/api-keys/", "/v1/api-keys/9b1f0e0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
                "/v1/api-keys/x/regenerate", "/v1/api-keysfoo", "/v1/audit", "/v1/audit/events", "/v1/keys/verify",
                "/v1/keys/verify/x", "/v1/keys", "/v1/whoami", "/v1/whoami/x", "/v1/whoamix", "/api/v1/applications/a/api-keys/b",
                "/actuator/health", "/", "/v2/api-keys", "/x/v1/whoami");
        List<String> mismatches = new ArrayList<>();
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            for (String path : paths) {
                for (String query_ : List.of("", "?account_id=acct_dev&page=1")) {
                    String subject = method + " " + path + query_;
                    String upstream = defaultUpstream;
                    for (Map.Entry<Pattern, String> rule : rules.entrySet()) {
                        if (rule.getKey().matcher(subject).find()) {
                            upstream = rule.getValue();
                            break;
                        }
                    }
                    String expected = Route.of(method, path).orElse(null) == Route.QUERY ? query : command;
                    if (!expected.equals(upstream)) {
                        mismatches.add(subject + ": nginx -> " + upstream + ", Route.java -> " + expected);
                    }
                }
            }
        }
        assertThat(mismatches).as("gateway/nginx.conf routes differently from Route.java").isEmpty();
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
