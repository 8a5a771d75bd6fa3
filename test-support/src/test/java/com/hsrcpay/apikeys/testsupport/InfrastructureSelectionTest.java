package com.hsrcpay.apikeys.testsupport;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import com.hsrcpay.apikeys.testsupport.InfrastructureSelection.Choice;
import com.hsrcpay.apikeys.testsupport.InfrastructureSelection.Requested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class InfrastructureSelectionTest {

    private static final UnaryOperator<String> NOTHING_SET = name -> null;

    private static final BooleanSupplier DOCKER_UP = () -> true;

    private static final BooleanSupplier DOCKER_DOWN = () -> false;

    private static final BooleanSupplier MUST_NOT_PROBE = () -> {
        throw new AssertionError("Docker must not be probed");
    };

    @ParameterizedTest
    @CsvSource({ "docker, DOCKER", "DOCKER, DOCKER", "' Embedded ', EMBEDDED", "auto, AUTO", "AuTo, AUTO" })
    void parsesValuesCaseInsensitivelyAndTrimmed(String value, InfrastructureMode expected) {
        assertThat(InfrastructureMode.parse(value, "test")).isEqualTo(expected);
    }

    @Test
    void blankOrMissingValueMeansAuto() {
        assertThat(InfrastructureMode.parse(null, "test")).isEqualTo(InfrastructureMode.AUTO);
        assertThat(InfrastructureMode.parse("  ", "test")).isEqualTo(InfrastructureMode.AUTO);
    }

    @Test
    void invalidEnvironmentValueGivesClearError() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InfrastructureSelection.requested(NOTHING_SET, only("KMS_TEST_INFRA", "dockr")))
                .withMessage("Invalid test infrastructure mode 'dockr' in environment variable KMS_TEST_INFRA:"
                        + " expected one of auto, docker, embedded (case-insensitive)");
    }

    @Test
    void invalidSystemPropertyValueGivesClearError() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InfrastructureSelection.requested(only("kms.test.infra", "testcontainers"),
                        NOTHING_SET))
                .withMessageContaining("'testcontainers'")
                .withMessageContaining("system property kms.test.infra")
                .withMessageContaining("auto, docker, embedded");
    }

    @Test
    void defaultsToAutoWhenNothingIsSet() {
        Requested requested = InfrastructureSelection.requested(NOTHING_SET, NOTHING_SET);

        assertThat(requested.mode()).isEqualTo(InfrastructureMode.AUTO);
        assertThat(requested.origin()).contains("default");
    }

    @Test
    void readsEnvironmentVariable() {
        Requested requested = InfrastructureSelection.requested(NOTHING_SET, only("KMS_TEST_INFRA", "embedded"));

        assertThat(requested.mode()).isEqualTo(InfrastructureMode.EMBEDDED);
        assertThat(requested.origin()).isEqualTo("environment variable KMS_TEST_INFRA");
    }

    @Test
    void systemPropertyOverridesEnvironmentVariable() {
        Requested requested = InfrastructureSelection.requested(only("kms.test.infra", "embedded"),
                only("KMS_TEST_INFRA", "docker"));

        assertThat(requested.mode()).isEqualTo(InfrastructureMode.EMBEDDED);
        assertThat(requested.origin()).contains("system property kms.test.infra", "overrides KMS_TEST_INFRA=docker");
    }

    @Test
    void autoPicksDockerWhenAnEngineAnswers() {
        Choice choice = InfrastructureSelection.choose(auto(), DOCKER_UP);

        assertThat(choice.mode()).isEqualTo(InfrastructureMode.DOCKER);
        assertThat(choice.reason()).contains("auto", "Docker engine answers");
    }

    @Test
    void autoFallsBackToEmbeddedWithoutDocker() {
        Choice choice = InfrastructureSelection.choose(auto(), DOCKER_DOWN);

        assertThat(choice.mode()).isEqualTo(InfrastructureMode.EMBEDDED);
        assertThat(choice.reason()).contains("auto", "no Docker engine answers");
    }

    @Test
    void forcedEmbeddedNeverProbesDocker() {
        Choice choice = InfrastructureSelection.choose(
                new Requested(InfrastructureMode.EMBEDDED, "environment variable KMS_TEST_INFRA"), MUST_NOT_PROBE);

        assertThat(choice.mode()).isEqualTo(InfrastructureMode.EMBEDDED);
        assertThat(choice.reason()).contains("forced by environment variable KMS_TEST_INFRA");
    }

    @Test
    void forcedDockerUsesDockerWhenAnEngineAnswers() {
        Choice choice = InfrastructureSelection.choose(
                new Requested(InfrastructureMode.DOCKER, "environment variable KMS_TEST_INFRA"), DOCKER_UP);

        assertThat(choice.mode()).isEqualTo(InfrastructureMode.DOCKER);
    }

    @Test
    void forcedDockerWithoutAnEngineFailsLoudly() {
        Requested requested = new Requested(InfrastructureMode.DOCKER, "environment variable KMS_TEST_INFRA");

        assertThatIllegalStateException()
                .isThrownBy(() -> InfrastructureSelection.choose(requested, DOCKER_DOWN))
                .withMessageContaining("'docker' is forced by environment variable KMS_TEST_INFRA")
                .withMessageContaining("no Docker engine answers")
                .withMessageContaining("KMS_TEST_INFRA=embedded");
    }

    @Test
    void theJvmWideChoiceIsDockerOrEmbeddedAndStable() {
        InfrastructureMode mode = RealInfrastructure.mode();

        assertThat(mode).isIn(InfrastructureMode.DOCKER, InfrastructureMode.EMBEDDED);
        assertThat(RealInfrastructure.mode()).isSameAs(mode);
    }

    private static Requested auto() {
        return new Requested(InfrastructureMode.AUTO, "default");
    }

    private static UnaryOperator<String> only(String name, String value) {
        return Map.of(name, value)::get;
    }
}
