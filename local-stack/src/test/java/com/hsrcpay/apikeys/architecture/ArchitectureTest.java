package com.hsrcpay.apikeys.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every boundary the README states, as a rule over the production classes of all modules (the local stack's test
 * class path holds them all). Each rule names packages that exist: {@link #theRulesCheckPackagesThatExist()} fails
 * when a rename leaves a rule checking nothing.
 */
class ArchitectureTest {

    private static final String ROOT = "com.hsrcpay.apikeys";
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        // the other modules are directories in an IDE and jars in a Maven reactor build: both are imported
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void theRulesCheckPackagesThatExist() {
        for (String pkg : List.of("shared.event", "shared.key", "shared.chain", "shared.message", "edge", "database",
                "eventstore", "revocation", "verification", "verification.usage", "command.key.model", "command.key.application",
                "command.key.web", "command.key.revocation", "command.exposure.application", "command.exposure.infrastructure", "command.exposure.web",
                "query.key.projection", "query.key.application", "query.key.web", "query.publishing",
                "localstack.gateway", "transparency.merkle", "transparency.note", "transparency.chain",
                "transparency.verifier", "query.transparency", "query.webhook.model", "query.webhook.application",
                "query.webhook.web")) {
            assertThat(production.containPackage(ROOT + "." + pkg)).as("package %s exists", pkg).isTrue();
        }
    }

    /** README: shared-events is the published language, plain Java and Jackson; of Axon, annotations only. */
    @Test
    void thePublishedLanguageIsPlainJavaAndJacksonWithAxonAnnotationsOnly() {
        check(classes().that().resideInAPackage(ROOT + ".shared..")
                .should().onlyDependOnClassesThat(resideInAnyPackage(ROOT + ".shared..", "java..", "com.fasterxml.jackson..")
                        .or(equivalentTo(org.axonframework.serialization.Revision.class))));
    }

    /** README: the revocation client is a library for internal services: Kafka client, Jackson, SLF4J, no Spring. */
    @Test
    void theRevocationClientNeedsNoSpringAndNoServiceCode() {
        check(noClasses().that().resideInAPackage(ROOT + ".revocation..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", ROOT + ".command..",
                        ROOT + ".query..", ROOT + ".edge..", ROOT + ".verification.."));
    }

    /** README: what both services share lives once, in modules of its own that depend on neither service. */
    @Test
    void theSharedModulesDependOnNeitherService() {
        check(noClasses().that().resideInAnyPackage(ROOT + ".shared..", ROOT + ".edge..", ROOT + ".database..",
                        ROOT + ".eventstore..", ROOT + ".verification..", ROOT + ".revocation..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".command..", ROOT + ".query..",
                        ROOT + ".localstack.."));
    }

    /** README: the auditor's verifier (and the log's formats it shares with the query service) needs only a JDK. */
    @Test
    void theAuditVerifierDependsOnTheJdkAlone() {
        check(classes().that().resideInAPackage(ROOT + ".transparency..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(ROOT + ".transparency..", "java.."));
    }

    /**
     * README: the usage-control engine knows no HTTP and no verifier (the verify endpoint and the security filter
     * call it; it never calls them), so both services and the benchmarks use it as it is.
     */
    @Test
    void usageControlKnowsNoHttpAndNoVerifier() {
        check(noClasses().that().resideInAPackage(ROOT + ".verification.usage..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "jakarta.servlet..",
                        ROOT + ".edge.http..", ROOT + ".edge.security..")
                .orShould().dependOnClassesThat().resideInAPackage(ROOT + ".verification"));
    }

    /** README: the write side never uses the read side's code (it reads the key lookup only through key-verification). */
    @Test
    void theServicesDoNotUseEachOthersCode() {
        check(noClasses().that().resideInAPackage(ROOT + ".command..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".query.."));
        check(noClasses().that().resideInAPackage(ROOT + ".query..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".command.."));
    }

    /** The model decides; it knows neither the web, nor the use cases around it, nor Spring. */
    @Test
    void theWriteModelKnowsNoWebNoUseCasesAndNoSpring() {
        check(noClasses().that().resideInAPackage(ROOT + ".command.key.model..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".command.key.web..",
                        ROOT + ".command.key.application..", "org.springframework..", "jakarta.servlet.."));
        check(noClasses().that().resideInAPackage(ROOT + ".command.key.application..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".command.key.web.."));
        // exposure reports: the use case knows neither HTTP nor how GitHub's keys are fetched
        check(noClasses().that().resideInAPackage(ROOT + ".command.exposure.application..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".command.exposure.web..",
                        ROOT + ".command.exposure.infrastructure..", "org.springframework.web..", "jakarta.servlet.."));
        check(noClasses().that().resideInAPackage(ROOT + ".query.key.application..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".query.key.web.."));
    }

    /** README (Webhooks): the webhook rules (targets, filters, schedule) are plain Java; the use cases know no web. */
    @Test
    void theWebhookRulesKnowNoSpringAndTheUseCasesNoWeb() {
        check(noClasses().that().resideInAPackage(ROOT + ".query.webhook.model..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".query.webhook.application..",
                        ROOT + ".query.webhook.web..", "org.springframework..", "jakarta.servlet.."));
        check(noClasses().that().resideInAPackage(ROOT + ".query.webhook.application..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".query.webhook.web..",
                        "org.springframework.web..", "jakarta.servlet.."));
    }

    /**
     * README: the event store is the outbox; Kafka is written by the publisher's streaming processor, and on the
     * command side only by the prompt send of a key's end after its commit (a duplicate the publisher sends too).
     */
    @Test
    void onlyThePublisherAndThePromptRevocationsWriteToKafka() {
        check(noClasses().that().resideOutsideOfPackage(ROOT + ".query.publishing..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate"));
        check(noClasses().that().resideInAPackage(ROOT + ".command..")
                .and().resideOutsideOfPackage(ROOT + ".command.key.revocation..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.kafka..",
                        "org.apache.kafka.clients.producer..", "org.apache.kafka.clients.admin.."));
        check(noClasses().that().resideInAPackage(ROOT + ".command.key.revocation..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".command.key.web..",
                        ROOT + ".command.key.application..", ROOT + ".command.key.model.."));
    }

    /** README: the published messages of api-key-events are mapped from the stored events in one place. */
    @Test
    void publishedKeyEventMessagesAreMadeOnlyByTheOneMapping() {
        // the mapping and its nested visitor
        check(noClasses().that().haveNameNotMatching(
                        Pattern.quote(ROOT + ".shared.message.KeyEventMessages") + "(\\$.*)?")
                .should().callConstructorWhere(target(owner(assignableTo(ROOT + ".shared.message.KeyEventMessage")))
                        .or(target(owner(assignableTo(ROOT + ".shared.message.KeyEventData"))))));
    }

    /** Every error becomes the envelope in one place: no controller writes an error response of its own. */
    @Test
    void errorsAreRenderedOnlyByErrorResponses() {
        check(noClasses().that().resideOutsideOfPackages(ROOT + ".edge.error..", ROOT + ".edge.http..",
                        ROOT + ".edge.security..", ROOT + ".localstack.gateway..")
                .should().callMethod(jakarta.servlet.http.HttpServletResponse.class, "sendError", int.class)
                .orShould().callMethod(jakarta.servlet.http.HttpServletResponse.class, "sendError", int.class,
                        String.class));
    }

    /**
     * README: "the one place the write side touches the read model" is key-verification's key lookup and last-use
     * writes. SQL naming {@code read_model.} in main sources appears only in the query service and key-verification.
     */
    @Test
    void theWriteSideTouchesTheReadModelOnlyThroughKeyVerification() throws IOException {
        Path root = projectRoot();
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(root)) {
            offenders = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .filter(p -> !p.startsWith(root.resolve("query-service")) && !p.startsWith(root.resolve("benchmarks")))
                    .filter(ArchitectureTest::namesTheReadModel)
                    .map(root::relativize).toList();
        }
        assertThat(offenders).extracting(Path::toString).containsExactlyInAnyOrder(
                "key-verification/src/main/java/com/hsrcpay/apikeys/verification/KeyLookup.java",
                "key-verification/src/main/java/com/hsrcpay/apikeys/verification/KeyUsage.java");
    }

    /** Code naming a read-model table (comments that speak of it do not count). */
    private static boolean namesTheReadModel(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim)
                    .filter(line -> !line.startsWith("*") && !line.startsWith("/*") && !line.startsWith("//"))
                    .anyMatch(line -> line.contains("read_model."));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("mvnw")) ? here : here.getParent();
    }

    private static void check(ArchRule rule) {
        rule.check(production);
    }
}
