package com.hsrcpay.apikeys.localstack.hostile;

import com.hsrcpay.apikeys.localstack.hostile.HostileCredentials.Credential;
import com.hsrcpay.apikeys.localstack.hostile.HostileValues.Value;
import com.hsrcpay.apikeys.testsupport.FakeGitHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.APPLICATION_REVOKE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.AS_OF;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.AUDIT_EXPORT;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.CONSISTENCY;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.CREATE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.CREDITS;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.DELETE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.GET;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.HISTORY;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.HISTORY_VERIFY;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.INCLUSION_PROOF;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.LIST;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.PATCH;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.REGENERATE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.REPORT_EXPOSURE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.GITHUB_SECRET_SCANNING;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.USAGE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.VERIFY;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WEBHOOK_CREATE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WEBHOOK_DELETE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WEBHOOK_DELIVERIES;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WEBHOOK_GET;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WEBHOOK_LIST;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WEBHOOK_PATCH;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WEBHOOK_RETRY;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WHOAMI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Part one of the hostile-input suite: properties. Each test draws {@code tries} hostile requests from generators
 * (seeded: {@code -Dhostile.seed=<n>} replays a run) that put one hostile value into one input slot of a valid
 * request, sends each to one of the ports that serve the endpoint, and has {@link RequestChecker} judge it. A test
 * never stops at the first offence: it sends all its tries, then fails listing the first offending requests.
 * Together the tests send at least 5,000 requests over every endpoint of both services and the gateway.
 */
@ExtendWith(HostileSuiteExtension.class)
class HostileInputPropertiesIT {

    private static final Logger log = LoggerFactory.getLogger(HostileInputPropertiesIT.class);
    private static final String PREFIX = HostileInputPropertiesIT.class.getSimpleName() + ".";
    static final long SEED = Long.getLong("hostile.seed", new SplittableRandom().nextLong());
    private static final int MINIMUM_REQUESTS = 5_000;

    private static final Map<Endpoint, Set<String>> BODY_FIELDS = Map.of(
            CREATE, Set.of("name", "permissions", "type", "expires_at", "metadata", "managed", "application_id",
                    "ratelimits", "credits"),
            PATCH, Set.of("name", "permissions", "expires_at", "status", "metadata", "ratelimits", "credits"),
            REGENERATE, Set.of("grace_period_seconds"),
            CREDITS, Set.of("operation", "amount"),
            VERIFY, Set.of("key", "permission", "credits", "ratelimits"),
            WEBHOOK_CREATE, Set.of("url", "events", "description"),
            WEBHOOK_PATCH, Set.of("url", "events", "description", "status"),
            REPORT_EXPOSURE, Set.of("keys", "source_url"));

    private final HostileSystem system;
    private final World world;

    HostileInputPropertiesIT(HostileSystem system) {
        this.system = system;
        this.world = system.world;
    }

    @BeforeAll
    static void announce() {
        log.info("Hostile properties: seed {} (replay with -Dhostile.seed={})", SEED, SEED);
    }

    @AfterAll
    static void atLeastFiveThousandRequests(HostileSystem system) {
        long sent = system.ledger.requestsWithPrefix(PREFIX);
        system.ledger.logFigures("Hostile suite after the properties (seed " + SEED + ")");
        assertThat(sent).as("hostile requests the properties sent").isGreaterThanOrEqualTo(MINIMUM_REQUESTS);
    }

    // ------------------------------------------------------------------ bodies

    @Test
    void createBodyFieldsRefuseHostileValues(TestInfo test) {
        Gen<Map.Entry<String, Value>> slots = Gen.oneOf(
                slot("name", Gen.oneOf(HostileValues.nonStringJson(), HostileValues.refusedStrings(100), nullJson())),
                slot("permissions", Gen.oneOf(HostileValues.malformedPermissionMaps(), nullJson())),
                slot("type", HostileValues.keyTypeNearMisses()),
                slot("expires_at", HostileValues.malformedInstantJson()),
                slot("metadata", HostileValues.refusedMetadata()),
                slot("managed", HostileValues.nonBooleanJson()),
                slot("application_id", Gen.oneOf(HostileValues.nonStringJson(), HostileValues.controlCharacterStrings(),
                        Gen.of("\"app-1\"", "\"\"", "\"123e4567-e89b-12d3-a456-42661417400\"",
                                "\"123e4567-e89b-12d3-a456-4266141740000\"", "\"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz\"")
                                .map(Value::json))),
                slot("ratelimits", HostileValues.refusedRateLimits()),
                slot("credits", HostileValues.refusedCredits()),
                unknownFieldSlot(CREATE));
        List<Function<World, HostileRequest.Builder>> fromTheIssue = onEveryPort(CREATE,
                bodyField("name", "\"\\u0000\""), bodyField("type", "\"PUBLISHABLE \""), bodyField("expires_at", "\"\""),
                bodyField("expires_at", "\" \""), bodyField("expires_at", "\"1893456000\""),
                bodyField("expires_at", "\"2099-01-01T00:00:00Z\\n\""), bodyField("metadata", "{\"a\":1e400}"),
                r -> r.field("name", new byte[]{'"', 'p', (byte) 0xc0, (byte) 0xaf, '"'})
                        .hostile("body.name", "overlong UTF-8 '/' (issue 10)").expect(Expect.status(400)));
        property(test, 650, fromTheIssue, (random, world) -> {
            Map.Entry<String, Value> slot = slots.next(random);
            return to(CREATE, random).field(slot.getKey(), slot.getValue().bytes())
                    .hostile("body." + slot.getKey(), slot.getValue().shown())
                    .expect(fieldOrBody(slot.getKey(), slot.getValue()));
        });
    }

    @Test
    void patchBodyFieldsRefuseHostileValues(TestInfo test) {
        Gen<Map.Entry<String, Value>> slots = Gen.oneOf(
                slot("name", Gen.oneOf(HostileValues.nonStringJson(), HostileValues.refusedStrings(100), nullJson())),
                slot("permissions", Gen.oneOf(HostileValues.malformedPermissionMaps(), nullJson())),
                slot("expires_at", HostileValues.malformedInstantJson()),
                slot("status", HostileValues.statusNearMisses()),
                slot("metadata", HostileValues.refusedMetadata()),
                slot("ratelimits", HostileValues.refusedRateLimits()),
                slot("credits", HostileValues.refusedCredits()),
                unknownFieldSlot(PATCH));
        List<Function<World, HostileRequest.Builder>> fromTheIssue = onEveryPort(PATCH,
                bodyField("metadata", "{\"a\":1e400}"), bodyField("name", "\"\\u0000\""),
                bodyField("expires_at", "\"\""));
        property(test, 450, fromTheIssue, (random, world) -> {
            Map.Entry<String, Value> slot = slots.next(random);
            return to(PATCH, random).onlyField(slot.getKey(), slot.getValue().bytes())
                    .hostile("body." + slot.getKey(), slot.getValue().shown())
                    .expect(fieldOrBody(slot.getKey(), slot.getValue()));
        });
    }

    @Test
    void regenerateBodiesRefuseHostileValues(TestInfo test) {
        Gen<Map.Entry<String, Value>> slots = Gen.oneOf(
                slot("grace_period_seconds", Gen.oneOf(HostileValues.nonIntegerJson(),
                        HostileValues.integersOutOfRange(), HostileValues.notJsonNumbers())),
                unknownFieldSlot(REGENERATE));
        List<Function<World, HostileRequest.Builder>> fromTheIssue = onEveryPort(REGENERATE,
                bodyField("grace_period_seconds", "\"\""));
        property(test, 250, fromTheIssue, (random, world) -> {
            Map.Entry<String, Value> slot = slots.next(random);
            return to(REGENERATE, random).onlyField(slot.getKey(), slot.getValue().bytes())
                    .hostile("body." + slot.getKey(), slot.getValue().shown())
                    .expect(fieldOrBody(slot.getKey(), slot.getValue()));
        });
    }

    @Test
    void creditsBodiesRefuseHostileValues(TestInfo test) {
        Gen<Map.Entry<String, Value>> slots = Gen.oneOf(
                slot("operation", HostileValues.creditOperationNearMisses()),
                slot("amount", HostileValues.refusedCreditAmounts()),
                unknownFieldSlot(CREDITS));
        property(test, 250, List.of(), (random, world) -> {
            Map.Entry<String, Value> slot = slots.next(random);
            return to(CREDITS, random).field(slot.getKey(), slot.getValue().bytes())
                    .hostile("body." + slot.getKey(), slot.getValue().shown())
                    .expect(fieldOrBody(slot.getKey(), slot.getValue()));
        });
    }

    @Test
    void verifyBodiesRefuseHostileValues(TestInfo test) {
        Gen<Map.Entry<String, Value>> slots = Gen.oneOf(
                slot("key", Gen.oneOf(HostileValues.nonStringJson(), HostileValues.controlCharacterStrings(),
                        HostileValues.loneSurrogateStrings(), HostileValues.invalidUtf8Strings(),
                        HostileValues.overlongUtf8Strings(), HostileValues.blankStrings(), nullJson(),
                        HostileValues.hugeStrings(Expect.MAX_BODY_BYTES))),
                slot("permission", Gen.oneOf(HostileValues.regexBombPermissions(),
                        HostileValues.malformedPermissions(), HostileValues.controlCharacterStrings())),
                slot("credits", HostileValues.refusedCreditCosts()),
                slot("ratelimits", HostileValues.refusedLimitCosts()),
                unknownFieldSlot(VERIFY));
        List<Function<World, HostileRequest.Builder>> fromTheIssue = onEveryPort(VERIFY,
                r -> r.field("permission", "\"" + "a:".repeat(10_000) + "a\"")
                        .hostile("body.permission", "a permission of 20,001 characters (issue 10)")
                        .expect(Expect.badField("permission")));
        property(test, 350, fromTheIssue, (random, world) -> {
            Map.Entry<String, Value> slot = slots.next(random);
            return to(VERIFY, random).field(slot.getKey(), slot.getValue().bytes())
                    .hostile("body." + slot.getKey(), slot.getValue().shown())
                    .expect(fieldOrBody(slot.getKey(), slot.getValue()));
        });
    }

    @Test
    void exposureReportBodiesRefuseHostileValues(TestInfo test) {
        Gen<Value> hostileStrings = Gen.oneOf(HostileValues.controlCharacterStrings(),
                HostileValues.loneSurrogateStrings(), HostileValues.invalidUtf8Strings(),
                HostileValues.overlongUtf8Strings(), HostileValues.nonStringJson().map(v -> v.shown().startsWith("\"")
                        ? Value.json("17") : v));
        Gen<Map.Entry<String, Value>> slots = Gen.oneOf(
                // an array of strings is what keys holds: those the generator draws are swapped for an array of a boolean
                slot("keys", Gen.oneOf(HostileValues.nonStringJson().map(v -> v.shown().startsWith("[\"")
                                ? Value.json("[true]") : v), nullJson(), Gen.of(Value.json("[]")),
                        hostileStrings.map(v -> inArray(v)))),
                slot("source_url", Gen.oneOf(HostileValues.nonStringJson(), HostileValues.controlCharacterStrings(),
                        HostileValues.invalidUtf8Strings(), Gen.of(Value.json("\"http://paste.example/a\""),
                                Value.json("\"javascript:alert(1)\""), Value.json("\"https://\""),
                                Value.json("\"https://paste.example/" + "a".repeat(2_000) + "\"")))),
                unknownFieldSlot(REPORT_EXPOSURE));
        List<Function<World, HostileRequest.Builder>> fromTheIssue = onEveryPort(REPORT_EXPOSURE,
                bodyField("keys", "[]"), bodyField("keys", "[1]"),
                bodyField("keys", "[" + "\"sk_live_x\",".repeat(100) + "\"sk_live_x\"]"));
        property(test, 300, fromTheIssue, (random, world) -> {
            Map.Entry<String, Value> slot = slots.next(random);
            return to(REPORT_EXPOSURE, random).field(slot.getKey(), slot.getValue().bytes())
                    .hostile("body." + slot.getKey(), slot.getValue().shown())
                    .expect(fieldOrBody(slot.getKey(), slot.getValue()));
        });
    }

    /**
     * GitHub's report naming a working key, without a valid signature: never more than a refusal, and the key keeps
     * working (the checker sees any change).
     */
    @Test
    void gitHubReportsWithoutAValidSignatureChangeNothing(TestInfo test) {
        FakeGitHub.SigningKey stranger = FakeGitHub.newSigningKey();
        Gen<String[]> headers = Gen.of(
                new String[]{null, null},
                new String[]{stranger.identifier(), null},
                new String[]{null, "MEUCIQDfLvT8/zM8F1aB3cM0ZwyeWF1m5YR6IhcUIv1OKQYL0wIgBZ5lVXB3gHK+dT8+xt0WgRVLqvsTPFiDO9QP/7eJ4yE="},
                new String[]{stranger.identifier(), "MEUCIQDfLvT8/zM8F1aB3cM0ZwyeWF1m5YR6IhcUIv1OKQYL0wIgBZ5lVXB3gHK+dT8+xt0WgRVLqvsTPFiDO9QP/7eJ4yE="},
                new String[]{"f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d", "%%% not base64"},
                new String[]{"", ""},
                new String[]{"x".repeat(4_000), "AAAA"});
        property(test, 150, (random, world) -> {
            HostileRequest.Builder request = to(GITHUB_SECRET_SCANNING, random).withoutHeader("Authorization");
            String[] pair = headers.next(random);
            if (random.nextBoolean()) {
                // signed by a key GitHub does not list, over these very bytes
                String body = new String(request.currentBody(), StandardCharsets.UTF_8);
                pair = new String[]{stranger.identifier(), stranger.sign(body)};
            }
            if (pair[0] != null) {
                request.header("Github-Public-Key-Identifier", pair[0]);
            }
            if (pair[1] != null) {
                request.header("Github-Public-Key-Signature", pair[1]);
            }
            return request.hostile("GitHub signature headers", pair[0] + " / " + pair[1])
                    .expect(Expect.status(401));
        });
    }

    private static Value inArray(Value element) {
        byte[] open = "[".getBytes(StandardCharsets.UTF_8);
        byte[] close = "]".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[open.length + element.bytes().length + close.length];
        System.arraycopy(open, 0, all, 0, open.length);
        System.arraycopy(element.bytes(), 0, all, open.length, element.bytes().length);
        System.arraycopy(close, 0, all, open.length + element.bytes().length, close.length);
        return new Value("[" + element.shown() + "]", all, element.breaksTheDocument());
    }

    @Test
    void malformedJsonDocumentsAreRefused(TestInfo test) {
        Gen<Endpoint> endpoints = Gen.of(CREATE, PATCH, REGENERATE, CREDITS, VERIFY, WEBHOOK_CREATE, WEBHOOK_PATCH);
        property(test, 400, (random, world) -> {
            Endpoint endpoint = endpoints.next(random);
            HostileRequest.Builder request = to(endpoint, random);
            String valid = new String(request.currentBody(), StandardCharsets.UTF_8);
            Gen<Value> documents = Gen.oneOf(HostileValues.malformedDocuments(valid),
                    HostileValues.duplicateKeyDocuments(valid), firstStringBroken(valid));
            Value document = documents.next(random);
            if (endpoint == REGENERATE && (document.bytes().length == 0 || document.shown().equals("null"))) {
                document = Value.json("[]"); // the body is optional there: only a non-empty non-object is wrong
            }
            return request.body(document.bytes()).hostile("body", document.shown()).expect(Expect.status(400));
        });
    }

    @Test
    void contentTypeNearMissesAreRefused(TestInfo test) {
        Gen<Endpoint> endpoints = Gen.of(CREATE, PATCH, REGENERATE, CREDITS, VERIFY, WEBHOOK_CREATE, WEBHOOK_PATCH);
        Gen<String> types = Gen.oneOf(HostileValues.contentTypeNearMisses(), Gen.of("(none)"));
        List<Function<World, HostileRequest.Builder>> fromTheIssue = onEveryPort(REGENERATE,
                r -> r.header("Content-Type", "*/*").hostile("header Content-Type", "*/* (issue 10)")
                        .expect(Expect.status(400, 415).field("Content-Type")),
                r -> r.header("Content-Type", "application/merge-patch+json")
                        .hostile("header Content-Type", "application/merge-patch+json (issue 10)")
                        .expect(Expect.status(400, 415).field("Content-Type")));
        property(test, 250, fromTheIssue, (random, world) -> {
            String type = types.next(random);
            HostileRequest.Builder request = to(endpoints.next(random), random);
            if (type.equals("(none)")) {
                request.withoutHeader("Content-Type");
            } else {
                request.header("Content-Type", type);
            }
            return request.hostile("header Content-Type", type).expect(Expect.status(400, 415).field("Content-Type"));
        });
    }

    // ------------------------------------------------------------------ query parameters and paths

    @Test
    void queryParametersRefuseHostileValues(TestInfo test) {
        Gen<Value> pages = HostileValues.nonPositiveOrNonIntegerTexts();
        Gen<Value> limits = Gen.oneOf(pages, Gen.of("101", "1000", "100000").map(Value::text));
        Gen<Value> accounts = Gen.oneOf(Gen.of(World.VICTIM_ACCOUNT, "", "ACCT_HOSTILE", World.ACCOUNT + " ",
                        World.ACCOUNT + "\u0000", "*", "%", World.ACCOUNT + "/..").map(Value::text),
                HostileValues.controlCharacterStrings());
        Gen<Value> instants = HostileValues.malformedInstantTexts();
        List<BiFunction<SplittableRandom, World, HostileRequest.Builder>> slots = List.of(
                (random, w) -> queryValue(to(LIST, random), "page", pages.next(random)).expect(Expect.badField("page")),
                (random, w) -> queryValue(to(LIST, random), "limit", limits.next(random))
                        .expect(Expect.badField("limit")),
                (random, w) -> queryValue(to(LIST, random), "managed", HostileValues.booleanNearMissTexts().next(random))
                        .expect(Expect.badField("managed")),
                (random, w) -> queryValue(to(HISTORY, random), "page", pages.next(random))
                        .expect(Expect.badField("page")),
                (random, w) -> queryValue(to(HISTORY, random), "limit", limits.next(random))
                        .expect(Expect.badField("limit")),
                (random, w) -> queryValue(to(AS_OF, random), "as_of", instants.next(random))
                        .expect(Expect.badField("as_of")),
                (random, w) -> queryValue(to(AUDIT_EXPORT, random), "from", instants.next(random))
                        .expect(Expect.badField("from")),
                (random, w) -> queryValue(to(AUDIT_EXPORT, random), "to", instants.next(random))
                        .expect(Expect.badField("to")),
                (random, w) -> queryValue(to(AUDIT_EXPORT, random), "tree_size", pages.next(random))
                        .expect(Expect.badField("tree_size")),
                (random, w) -> queryValue(to(CONSISTENCY, random), "first", pages.next(random))
                        .expect(Expect.badField("first")),
                (random, w) -> queryValue(to(CONSISTENCY, random), "second", pages.next(random))
                        .expect(Expect.badField("second")),
                (random, w) -> queryValue(to(INCLUSION_PROOF, random), "tree_size", pages.next(random))
                        .expect(Expect.badField("tree_size")),
                (random, w) -> to(AUDIT_EXPORT, random).query("from", "2099-01-01T00:00:00Z")
                        .query("to", "2020-01-01T00:00:00Z").hostile("query from/to", "from after to")
                        .expect(Expect.status(400)),
                (random, w) -> queryValue(to(USAGE, random), "from", instants.next(random))
                        .expect(Expect.badField("from")),
                (random, w) -> queryValue(to(USAGE, random), "to", instants.next(random))
                        .expect(Expect.badField("to")),
                (random, w) -> to(USAGE, random).query("to", "2026-01-09T00:00:01Z")
                        .hostile("query to", "more than 7 days after from").expect(Expect.badField("to")),
                (random, w) -> queryValue(to(Gen.of(LIST, CREATE, AUDIT_EXPORT).next(random), random), "account_id",
                        accounts.next(random)).expect(Expect.status(400, 403)),
                (random, w) -> to(Gen.of(LIST, CREATE, AUDIT_EXPORT).next(random), random)
                        .addQuery("account_id", World.VICTIM_ACCOUNT)
                        .hostile("query account_id", "twice: own and another account's").expect(Expect.status(400, 403)),
                (random, w) -> to(Gen.of(LIST, CREATE).next(random), random).withoutQuery("account_id")
                        .hostile("query account_id", "(missing)").expect(Expect.badField("account_id")));
        Gen<BiFunction<SplittableRandom, World, HostileRequest.Builder>> choice = Gen.of(slots);
        List<Function<World, HostileRequest.Builder>> fromTheIssue = onEveryPort(AUDIT_EXPORT,
                r -> queryValue(r, "from", Value.text("-4713-01-01T00:00:00Z")).expect(Expect.badField("from")),
                r -> queryValue(r, "to", Value.text("+294277-01-01T00:00:00Z")).expect(Expect.badField("to")));
        property(test, 500, fromTheIssue, (random, w) -> choice.next(random).apply(random, w));
    }

    @Test
    void pathIdsThatAreNoKeysAre404(TestInfo test) {
        Gen<Endpoint> endpoints = Gen.of(GET, AS_OF, PATCH, REGENERATE, CREDITS, USAGE, DELETE, HISTORY,
                HISTORY_VERIFY, INCLUSION_PROOF, APPLICATION_REVOKE);
        property(test, 400, (random, w) -> {
            Endpoint endpoint = endpoints.next(random);
            HostileRequest.Builder request = to(endpoint, random);
            int kind = random.nextInt(10);
            if (endpoint == APPLICATION_REVOKE && kind < 3) {
                String id = kind == 0 ? World.NO_SUCH_KEY : HostileValues.nonUuidPathIds(World.APPLICATION).next(random);
                return request.applicationId(id).hostile("path application id", id)
                        .expect(kind == 0 ? Expect.status(404) : Expect.status(400, 404));
            }
            if (kind < 7) {
                String id = HostileValues.nonUuidPathIds(w.target()).next(random);
                return request.keyId(id).hostile("path key id", id).expect(Expect.status(400, 404));
            }
            String[] ids = {World.NO_SUCH_KEY, w.victimKeyId, w.sandboxKeyId};
            String[] shown = {"a UUID of no key", "another account's key", "a sandbox key (live credential)"};
            int which = random.nextInt(ids.length);
            return request.keyId(ids[which]).hostile("path key id", shown[which]).expect(Expect.status(404));
        });
    }

    // ------------------------------------------------------------------ credentials and headers

    @Test
    void refusedCredentialsAreRefusedEverywhere(TestInfo test) {
        Gen<Endpoint> endpoints = Gen.oneOf(Gen.of(Endpoint.keyEndpoints()),
                Gen.of(Endpoint.REPLAY, Endpoint.REPLAY_PROGRESS, Endpoint.PROMETHEUS));
        Gen<Credential> credentials = HostileCredentials.refusedCredentials(world);
        property(test, 600, (random, w) -> {
            Endpoint endpoint = endpoints.next(random);
            HostileRequest.Builder request = to(endpoint, random);
            if (random.nextInt(10) == 0) {
                String[][] pairs = {{w.fullJwt, "garbage"}, {"garbage", w.fullJwt}, {w.fullJwt, w.victimJwt},
                        {w.fullJwt, w.fullJwt}};
                String[] names = {"valid JWT, then garbage", "garbage, then a valid JWT",
                        "own JWT, then another account's", "the same valid JWT twice"};
                int which = random.nextInt(pairs.length);
                return request.bearer(pairs[which][0]).addHeader("Authorization", "Bearer " + pairs[which][1])
                        .hostile("two Authorization headers", names[which]).expect(Expect.status(400));
            }
            Credential credential = credentials.next(random);
            return request.header("Authorization", credential.header()).hostile("header Authorization",
                    credential.shown()).expect(expectFor(credential, endpoint));
        });
    }

    @Test
    void jwtsWithLaxClaimsAreRefused(TestInfo test) {
        Gen<Endpoint> endpoints = Gen.of(WHOAMI, LIST, CREATE, GET, VERIFY, HISTORY);
        Gen<Credential> tokens = HostileCredentials.jwtsWithLaxClaims();
        // every lax JWT once on whoami (which any valid credential may call), alternating the ports, then at random
        List<Function<World, HostileRequest.Builder>> everyTokenOnce = new ArrayList<>();
        List<Credential> all = HostileCredentials.laxJwts();
        for (int i = 0; i < all.size(); i++) {
            Credential token = all.get(i);
            Port port = WHOAMI.ports.get(i % WHOAMI.ports.size());
            everyTokenOnce.add(w -> HostileRequest.to(WHOAMI, port, w).header("Authorization", token.header())
                    .hostile("header Authorization", token.shown()).expect(Expect.refusedCredential()));
        }
        property(test, 350, everyTokenOnce, (random, w) -> {
            Credential token = tokens.next(random);
            return to(endpoints.next(random), random).header("Authorization", token.header())
                    .hostile("header Authorization", token.shown()).expect(Expect.refusedCredential());
        });
    }

    @Test
    void hostileHeadersChangeNothing(TestInfo test) {
        Gen<Endpoint> writes = Gen.of(CREATE, PATCH, REGENERATE, DELETE, APPLICATION_REVOKE);
        Gen<Endpoint> reads = Gen.of(LIST, GET, AS_OF, WHOAMI, HISTORY, HISTORY_VERIFY, AUDIT_EXPORT, VERIFY);
        List<BiFunction<SplittableRandom, World, HostileRequest.Builder>> slots = List.of(
                (random, w) -> header(to(CREATE, random), "Idempotency-Key",
                        HostileValues.invalidIdempotencyKeysTheAppSees().next(random))
                        .expect(Expect.badField("Idempotency-Key")),
                (random, w) -> header(to(CREATE, random), "Idempotency-Key",
                        HostileValues.nonAsciiIdempotencyKeys().next(random)).expect(Expect.status(400)),
                (random, w) -> header(to(PATCH, random), "If-Match", HostileValues.malformedIfMatch().next(random))
                        .expect(Expect.status(400, 412)),
                (random, w) -> header(to(PATCH, random), "If-Match", HostileValues.staleIfMatch().next(random))
                        .expect(Expect.status(412)),
                (random, w) -> header(to(writes.next(random), random), "Accept",
                        Value.text(HostileValues.unacceptableMediaTypes().next(random))).expect(Expect.refused()),
                (random, w) -> header(to(reads.next(random), random), "Accept",
                        HostileValues.acceptHeaderValues().next(random)).expect(Expect.anyStatus()),
                (random, w) -> header(to(reads.next(random), random), "X-Forwarded-For",
                        HostileValues.forwardedForValues().next(random)).expect(Expect.anyStatus()),
                (random, w) -> header(to(DELETE, random).keyId(World.NO_SUCH_KEY), "X-Forwarded-For",
                        HostileValues.forwardedForValues().next(random)).expect(Expect.status(400, 404)),
                (random, w) -> header(to(reads.next(random), random), "X-Request-Id",
                        HostileValues.requestIdValues().next(random)).expect(Expect.anyStatus()),
                (random, w) -> header(to(DELETE, random).keyId(World.NO_SUCH_KEY), "X-Request-Id",
                        HostileValues.requestIdValues().next(random)).expect(Expect.status(400, 404)),
                (random, w) -> header(to(Gen.of(LIST, GET).next(random), random), "X-Consistency-Token",
                        HostileValues.malformedConsistencyTokens(w.target()).next(random)).expect(Expect.status(200, 400)));
        Gen<BiFunction<SplittableRandom, World, HostileRequest.Builder>> choice = Gen.of(slots);
        List<Function<World, HostileRequest.Builder>> fromTheIssue = onEveryPort(CREATE,
                r -> header(r, "Idempotency-Key", new Value("k\u00e9y (raw UTF-8, issue 10)",
                        "k\u00e9y".getBytes(StandardCharsets.UTF_8))).expect(Expect.status(400)));
        property(test, 550, fromTheIssue, (random, w) -> choice.next(random).apply(random, w));
    }

    @Test
    void grantsBeyondTheCallerAreRefused(TestInfo test) {
        Gen<Value> maps = HostileValues.permissionMapsBeyondTheCaller();
        property(test, 200, (random, w) -> {
            Value map = maps.next(random);
            HostileRequest.Builder request = random.nextBoolean()
                    ? to(CREATE, random).field("permissions", map.bytes())
                    : to(PATCH, random).onlyField("permissions", map.bytes());
            return request.hostile("body.permissions (beyond a JWT holding account:api:key create/read/update/delete)",
                    map.shown()).expect(Expect.status(403).reason("permission_not_grantable").field("permissions"));
        });
    }

    // ------------------------------------------------------------------ paths nobody serves, operator and public ones

    @Test
    void unknownPathsAnswerTheEnvelope(TestInfo test) {
        Gen<String[]> everywhere = Gen.of(new String[][]{
                {"GET", "/v1"}, {"GET", "/v1/"}, {"GET", "/v2/api-keys/"}, {"GET", "/v1/api-key"},
                {"GET", "/v1/api-keys/{key}/x/y"}, {"GET", "/v1/keys"}, {"GET", "/v1/keys/verify"},
                {"PUT", "/v1/api-keys/{key}"}, {"POST", "/v1/whoami"}, {"DELETE", "/v1/keys/verify"},
                {"GET", "/api/v1/applications"}, {"GET", "/api/v1/applications/{key}"},
                {"POST", "/api/v1/applications/{key}/api-keys"}, {"GET", "/admin"}, {"GET", "/admin/projections"},
                {"GET", "/actuator/env"}, {"GET", "/actuator/heapdump"}, {"GET", "/actuator/threaddump"},
                {"GET", "/actuator/loggers"}, {"GET", "/actuator/beans"}, {"GET", "/actuator/configprops"},
                {"POST", "/actuator/shutdown"}, {"GET", "/error"}, {"POST", "/error"}, {"GET", "/favicon.ico"},
                {"GET", "/robots.txt"}, {"GET", "/.env"}, {"GET", "/WEB-INF/web.xml"}, {"GET", "/META-INF/MANIFEST.MF"},
                {"GET", "/v3/api-docs/%2e%2e/%2e%2e/actuator/env"}, {"GET", "/%2e%2e/%2e%2e/etc/passwd"},
                {"GET", "/index.html"}, {"GET", "/nope"}, {"DELETE", "/"}, {"PATCH", "/v1/api-keys/"},
                {"FOO", "/v1/whoami"}, {"PROPFIND", "/"}, {"OPTIONS", "/nope"}});
        Map<Port, List<String[]>> wrongService = Map.of(
                Port.COMMAND, List.of(new String[]{"GET", "/v1/api-keys/{key}"}, new String[]{"GET", "/v1/whoami"},
                        new String[]{"POST", "/v1/keys/verify"}, new String[]{"GET", "/v1/audit/events"},
                        new String[]{"GET", "/admin/projections/key-list/replay"}),
                Port.QUERY, List.of(new String[]{"POST", "/v1/api-keys/?account_id={account}"},
                        new String[]{"PATCH", "/v1/api-keys/{key}"}, new String[]{"DELETE", "/v1/api-keys/{key}"},
                        new String[]{"DELETE", "/api/v1/applications/{application}/api-keys/{key}"}),
                Port.GATEWAY, List.of(new String[]{"GET", "/admin/projections/key-list/replay"},
                        new String[]{"POST", "/admin/projections/key-list/replay"}));
        Gen<Port> ports = Gen.of(Port.values());
        Gen<Boolean> generated = Gen.of(true, false, false, false);
        Gen<String> segments = Gen.strings("abcdefghijklmnopqrstuvwxyz0123456789-_.~", 1, 12);
        property(test, 300, (random, w) -> {
            Port port = ports.next(random);
            String[] target;
            if (generated.next(random)) {
                target = new String[]{"GET", "/" + segments.next(random) + "/" + segments.next(random)};
            } else if (random.nextInt(4) == 0) {
                target = Gen.of(wrongService.get(port)).next(random);
            } else {
                target = everywhere.next(random);
            }
            String path = target[1].replace("{key}", w.target()).replace("{account}", World.ACCOUNT)
                    .replace("{application}", World.APPLICATION);
            return HostileRequest.to(Endpoint.UNKNOWN_PATH, port, w).method(target[0]).path(path)
                    .hostile("path", target[0] + " " + path)
                    .expect(target[0].equals("OPTIONS") ? Expect.anyStatus() : Expect.refused());
        });
    }

    @Test
    void operatorAndPublicEndpointsSurviveHostileInput(TestInfo test) {
        Gen<Credential> credentials = HostileCredentials.refusedCredentials(world);
        Gen<Value> accepts = HostileValues.acceptHeaderValues();
        Gen<String> projectionNames = Gen.of("no-such-projection", "%2e%2e", "*", "%00", "key-list-x", "KEY-LIST",
                "key-list%20", "key_list", "revocation-list%2F", "%C3%A9", "x".repeat(3_000));
        List<BiFunction<SplittableRandom, World, HostileRequest.Builder>> slots = List.of(
                (random, w) -> header(to(Gen.of(Endpoint.HEALTH, Endpoint.API_DOCS, Endpoint.ASYNCAPI).next(random), random), "Accept",
                        accepts.next(random)).expect(Expect.anyStatus()),
                (random, w) -> {
                    Credential credential = credentials.next(random);
                    return to(Gen.of(Endpoint.HEALTH, Endpoint.API_DOCS, Endpoint.ASYNCAPI).next(random), random)
                            .header("Authorization", credential.header())
                            .hostile("header Authorization", credential.shown()).expect(Expect.anyStatus());
                },
                (random, w) -> queryValue(to(Gen.of(Endpoint.HEALTH, Endpoint.API_DOCS, Endpoint.ASYNCAPI).next(random), random),
                        "probe", HostileValues.controlCharacterStrings().next(random)).expect(Expect.anyStatus()),
                (random, w) -> to(Endpoint.PROMETHEUS, random).hostile("credential", "a JWT without platform:metrics:read")
                        .expect(Expect.status(403)),
                (random, w) -> header(to(Endpoint.PROMETHEUS, random).bearer(w.operatorJwt), "Accept",
                        accepts.next(random)).expect(Expect.anyStatus()),
                (random, w) -> to(Gen.of(Endpoint.REPLAY, Endpoint.REPLAY_PROGRESS).next(random), random)
                        .hostile("credential", "a JWT without platform:projections:replay").expect(Expect.status(403)),
                (random, w) -> to(Endpoint.REPLAY, random).bearer(w.readerSecret)
                        .hostile("credential", "a secret key (never an operator)").expect(Expect.status(403)),
                (random, w) -> {
                    String name = projectionNames.next(random);
                    return to(Endpoint.REPLAY_PROGRESS, random).bearer(w.operatorJwt)
                            .path("/admin/projections/" + name + "/replay").hostile("path projection name", name)
                            .expect(Expect.status(400, 404));
                },
                (random, w) -> {
                    String name = Gen.of("no-such-projection", "%2e%2e", "*", "%00", "key-list-x").next(random);
                    return to(Endpoint.REPLAY, random).bearer(w.operatorJwt)
                            .path("/admin/projections/" + name + "/replay").hostile("path projection name", name)
                            .expect(Expect.status(400, 404));
                });
        Gen<BiFunction<SplittableRandom, World, HostileRequest.Builder>> choice = Gen.of(slots);
        property(test, 250, (random, w) -> choice.next(random).apply(random, w));
    }

    // ------------------------------------------------------------------ webhook endpoints

    @Test
    void webhookEndpointBodiesRefuseHostileValues(TestInfo test) {
        Gen<Value> descriptions = Gen.oneOf(HostileValues.nonStringJson(),
                HostileValues.refusedStrings(500));
        Gen<Map.Entry<String, Value>> createSlots = Gen.oneOf(
                slot("url", Gen.oneOf(refusedWebhookUrls(), HostileValues.nonStringJson(), nullJson())),
                slot("events", Gen.oneOf(refusedEventFilters(), nullJson())),
                slot("description", descriptions),
                unknownFieldSlot(WEBHOOK_CREATE));
        Gen<Map.Entry<String, Value>> patchSlots = Gen.oneOf(
                slot("url", Gen.oneOf(refusedWebhookUrls(), HostileValues.nonStringJson())),
                slot("events", refusedEventFilters()),
                slot("description", descriptions),
                slot("status", Gen.of("\"ENABLED\"", "\"on\"", "\"\"", "\"enabled \"", "1", "true", "[]")
                        .map(Value::json)),
                unknownFieldSlot(WEBHOOK_PATCH));
        List<Function<World, HostileRequest.Builder>> examples = onEveryPort(WEBHOOK_CREATE,
                bodyField("url", "\"http://169.254.169.254/latest/meta-data\""),
                bodyField("url", "\"https://[::ffff:127.0.0.1]/\""), bodyField("events", "[]"));
        property(test, 450, examples, (random, w) -> {
            boolean create = random.nextBoolean();
            Map.Entry<String, Value> slot = (create ? createSlots : patchSlots).next(random);
            HostileRequest.Builder request = create
                    ? to(WEBHOOK_CREATE, random).field(slot.getKey(), slot.getValue().bytes())
                    : to(WEBHOOK_PATCH, random).onlyField(slot.getKey(), slot.getValue().bytes());
            return request.hostile("body." + slot.getKey(), slot.getValue().shown())
                    .expect(fieldOrBody(slot.getKey(), slot.getValue()));
        });
    }

    @Test
    void webhookPathIdsThatAreNoEndpointsOfTheCallerAre404(TestInfo test) {
        Gen<Endpoint> endpoints = Gen.of(WEBHOOK_GET, WEBHOOK_PATCH, WEBHOOK_DELETE, WEBHOOK_DELIVERIES, WEBHOOK_RETRY);
        property(test, 300, (random, w) -> {
            Endpoint endpoint = endpoints.next(random);
            HostileRequest.Builder request = to(endpoint, random);
            int kind = random.nextInt(10);
            if (endpoint == WEBHOOK_RETRY && kind < 3) {
                String id = kind == 0 ? World.NO_SUCH_KEY : HostileValues.nonUuidPathIds(w.webhookDeliveryId).next(random);
                return request.deliveryId(id).hostile("path delivery id", id)
                        .expect(kind == 0 ? Expect.status(404) : Expect.status(400, 404));
            }
            if (kind < 6) {
                String id = HostileValues.nonUuidPathIds(w.webhookEndpointId).next(random);
                return request.webhookId(id).hostile("path webhook endpoint id", id).expect(Expect.status(400, 404));
            }
            String[] ids = {World.NO_SUCH_KEY, w.victimWebhookEndpointId, w.sandboxWebhookEndpointId};
            String[] shown = {"a UUID of no endpoint", "another account's endpoint", "a sandbox endpoint (live credential)"};
            int which = random.nextInt(ids.length);
            return request.webhookId(ids[which]).hostile("path webhook endpoint id", shown[which])
                    .expect(Expect.status(404));
        });
    }

    @Test
    void webhookQueryParametersRefuseHostileValues(TestInfo test) {
        Gen<Value> pages = HostileValues.nonPositiveOrNonIntegerTexts();
        Gen<Value> limits = Gen.oneOf(pages, Gen.of("101", "1000", "100000").map(Value::text));
        Gen<Value> accounts = Gen.oneOf(Gen.of(World.VICTIM_ACCOUNT, "", "ACCT_HOSTILE", World.ACCOUNT + " ",
                        World.ACCOUNT + "\u0000", "*", "%", World.ACCOUNT + "/..").map(Value::text),
                HostileValues.controlCharacterStrings());
        List<BiFunction<SplittableRandom, World, HostileRequest.Builder>> slots = List.of(
                (random, w) -> queryValue(to(Gen.of(WEBHOOK_LIST, WEBHOOK_DELIVERIES).next(random), random), "page",
                        pages.next(random)).expect(Expect.badField("page")),
                (random, w) -> queryValue(to(Gen.of(WEBHOOK_LIST, WEBHOOK_DELIVERIES).next(random), random), "limit",
                        limits.next(random)).expect(Expect.badField("limit")),
                (random, w) -> queryValue(to(Gen.of(WEBHOOK_LIST, WEBHOOK_CREATE).next(random), random), "account_id",
                        accounts.next(random)).expect(Expect.status(400, 403)),
                (random, w) -> to(Gen.of(WEBHOOK_LIST, WEBHOOK_CREATE).next(random), random)
                        .addQuery("account_id", World.VICTIM_ACCOUNT)
                        .hostile("query account_id", "twice: own and another account's").expect(Expect.status(400, 403)),
                (random, w) -> to(Gen.of(WEBHOOK_LIST, WEBHOOK_CREATE).next(random), random).withoutQuery("account_id")
                        .hostile("query account_id", "(missing)").expect(Expect.badField("account_id")),
                (random, w) -> to(Gen.of(WEBHOOK_CREATE, WEBHOOK_PATCH, WEBHOOK_DELETE, WEBHOOK_RETRY).next(random),
                        random).header("Authorization", "Bearer " + w.fullJwt)
                        .hostile("header Authorization", "a JWT with key permissions only").expect(Expect.status(403)));
        Gen<BiFunction<SplittableRandom, World, HostileRequest.Builder>> choice = Gen.of(slots);
        property(test, 300, (random, w) -> choice.next(random).apply(random, w));
    }

    /** URLs no endpoint may have here (the hostile system runs with production's target rules). */
    private static Gen<Value> refusedWebhookUrls() {
        return Gen.oneOf(Gen.of("http://example.com/hook", "https://10.0.0.1/", "https://192.168.1.1/",
                        "https://172.31.255.255/", "https://169.254.169.254/latest/meta-data", "https://[::1]/",
                        "https://[fe80::1]/", "https://[fc00::1]/", "https://[::ffff:10.0.0.1]/", "https://100.100.100.100/",
                        "https://0.0.0.0/", "https://127.0.0.1/", "https://127.1/", "https://2130706433/",
                        "https://0x7f000001/", "https://localhost/", "https://LOCALHOST./", "https://x.localhost/",
                        "http://127.0.0.1:8081/actuator/health", "http://localhost:8082/admin", "ftp://example.com/",
                        "file:///etc/passwd", "javascript:alert(1)", "https://user:pass@example.com/",
                        "https://example.com/#x", "https://", "https:///path", "//example.com/", "example.com",
                        "", " ", "https://exa mple.com/", "https://example.com/" + "a".repeat(2100))
                        .map(url -> Value.json("\"" + url + "\"")),
                HostileValues.controlCharacterStrings());
    }

    private static Gen<Value> refusedEventFilters() {
        return Gen.of("[]", "[\"*\",\"api_key.created\"]", "[\"api_key.nope\"]", "[\"API_KEY.CREATED\"]",
                "[\"api_key.created\",\"api_key.created\"]", "\"*\"", "[1]", "[null]", "{}", "[\"api_key.created \"]",
                "[\"\"]", "[\"**\"]", "[[\"*\"]]", "\"api_key.created\"", "true").map(Value::json);
    }

    // ------------------------------------------------------------------ the loop and helpers

    /** Sends {@code tries} generated requests through the checker, then fails listing the offending ones. */
    private void property(TestInfo test, int tries,
                          BiFunction<SplittableRandom, World, HostileRequest.Builder> generator) {
        property(test, tries, List.of(), generator);
    }

    /**
     * As {@link #property(TestInfo, int, BiFunction)}, the first tries being {@code examples}: the inputs issue 10
     * names, so that every run sends them whatever the seed draws.
     */
    private void property(TestInfo test, int tries, List<Function<World, HostileRequest.Builder>> examples,
                          BiFunction<SplittableRandom, World, HostileRequest.Builder> generator) {
        String name = PREFIX + test.getTestMethod().orElseThrow().getName();
        system.ledger.begin(name);
        long propertySeed = SEED ^ name.hashCode() * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < tries; i++) {
            SplittableRandom random = new SplittableRandom(propertySeed + i);
            HostileRequest.Builder request = i < examples.size() ? examples.get(i).apply(world)
                    : generator.apply(random, world);
            system.checker.check(request.build());
        }
        system.checker.assertSettled(name);
        system.ledger.assertNoOffences(name, "seed " + SEED);
    }

    /** One request per port that serves {@code endpoint}: the valid one, changed by {@code change}. */
    @SafeVarargs
    private static List<Function<World, HostileRequest.Builder>> onEveryPort(Endpoint endpoint,
            Function<HostileRequest.Builder, HostileRequest.Builder>... changes) {
        List<Function<World, HostileRequest.Builder>> all = new ArrayList<>();
        for (Function<HostileRequest.Builder, HostileRequest.Builder> change : changes) {
            for (Port port : endpoint.ports) {
                all.add(w -> change.apply(HostileRequest.to(endpoint, port, w)));
            }
        }
        return all;
    }

    /** The body field set to {@code json}, expecting 400 naming it. */
    private static Function<HostileRequest.Builder, HostileRequest.Builder> bodyField(String field, String json) {
        return r -> r.field(field, json).hostile("body." + field, json + " (issue 10)").expect(Expect.badField(field));
    }

    @SafeVarargs
    private static <T> List<T> concat(List<? extends T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<? extends T> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private HostileRequest.Builder to(Endpoint endpoint, SplittableRandom random) {
        return HostileRequest.to(endpoint, Gen.of(endpoint.ports).next(random), world);
    }

    private static HostileRequest.Builder queryValue(HostileRequest.Builder request, String name, Value value) {
        return request.query(name, value.percentEncoded()).hostile("query " + name, value.shown());
    }

    private static HostileRequest.Builder header(HostileRequest.Builder request, String name, Value value) {
        return request.header(name, value.bytes()).hostile("header " + name, value.shown());
    }

    private static Gen<Map.Entry<String, Value>> slot(String field, Gen<Value> values) {
        return values.map(v -> Map.entry(field, v));
    }

    private static Gen<Map.Entry<String, Value>> unknownFieldSlot(Endpoint endpoint) {
        return HostileValues.unknownFieldNames().map(name -> BODY_FIELDS.get(endpoint).contains(name) ? "nmae" : name)
                .map(name -> Map.entry(name, Value.json("\"probe\"")));
    }

    private static Gen<Value> nullJson() {
        return Gen.of(Value.json("null"));
    }

    /** 400 naming the field; only the body when the bytes broke the whole document, or the name is no plain name. */
    private static Expect fieldOrBody(String field, Value value) {
        boolean plainName = field.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\');
        return value.breaksTheDocument() || !plainName ? Expect.status(400) : Expect.badField(field);
    }

    /** The valid body with invalid or overlong UTF-8 inside its first string value. */
    private static Gen<Value> firstStringBroken(String validBody) {
        int start = validBody.indexOf(":\"");
        if (start < 0) {
            return HostileValues.invalidUtf8Strings().map(v -> replaceFirstValue(validBody, v));
        }
        return Gen.oneOf(HostileValues.invalidUtf8Strings(), HostileValues.overlongUtf8Strings())
                .map(v -> replaceFirstValue(validBody, v));
    }

    private static Value replaceFirstValue(String validBody, Value string) {
        int colon = validBody.indexOf(':');
        int end = validBody.indexOf(validBody.charAt(colon + 1) == '"' ? "\"," : ",", colon + 2);
        if (end < 0) {
            end = validBody.length() - 1;
        } else if (validBody.charAt(colon + 1) == '"') {
            end++;
        }
        byte[] before = validBody.substring(0, colon + 1).getBytes(StandardCharsets.UTF_8);
        byte[] after = validBody.substring(end).getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[before.length + string.bytes().length + after.length];
        System.arraycopy(before, 0, all, 0, before.length);
        System.arraycopy(string.bytes(), 0, all, before.length, string.bytes().length);
        System.arraycopy(after, 0, all, before.length + string.bytes().length, after.length);
        return new Value(validBody.substring(0, colon + 1) + string.shown() + validBody.substring(end), all, true);
    }

    private static Expect expectFor(Credential credential, Endpoint endpoint) {
        return switch (credential.kind()) {
            case REFUSED -> Expect.refusedCredential();
            case REFUSED_OR_BAD_REQUEST -> Expect.status(400, 401, 429);
            case OVERSIZED -> Expect.refused();
            case PUBLISHABLE -> endpoint == WHOAMI ? Expect.anyStatus()
                    : endpoint == Endpoint.PROMETHEUS ? Expect.status(401, 403) : Expect.status(403);
        };
    }
}
