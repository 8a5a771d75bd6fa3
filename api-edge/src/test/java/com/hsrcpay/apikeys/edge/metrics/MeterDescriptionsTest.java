package com.hsrcpay.apikeys.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MeterDescriptionsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    MeterDescriptionsTest() {
        registry.config().meterFilter(new MeterDescriptions());
    }

    @Test
    void aMeterThatDescribesItselfKeepsItsDescriptionAndItsTags() {
        Timer timer = Timer.builder("kms.commands").description("Command dispatch").tag("outcome", "replayed")
                .register(registry);

        assertThat(timer.getId().getDescription()).isEqualTo("Command dispatch");
        assertThat(timer.getId().getTag("outcome")).isEqualTo("replayed");
    }

    @Test
    void axonsMetersAreDescribedByComponentAndMeasure() {
        Counter counter = Counter.builder("eventProcessor.successCounter").tag("processorName", "key-list")
                .register(registry);

        assertThat(counter.getId().getDescription()).isEqualTo("Axon eventProcessor: messages handled successfully");
        assertThat(counter.getId().getTag("processorName")).isEqualTo("key-list");
    }

    @Test
    void springSecurityFilterChainEventsNameTheFilter() {
        Counter counter = Counter.builder("spring.security.filterchains.session.urlencoding.before").register(registry);

        assertThat(counter.getId().getDescription())
                .isEqualTo("Spring Security filter chain: passes counted before its session urlencoding filter");
    }

    @Test
    void anUnknownMeterWithoutADescriptionGetsAGenericOne() {
        Counter blank = Counter.builder("some.library.thing").description(" ").register(registry);
        Counter none = Counter.builder("other.library.thing").register(registry);

        assertThat(blank.getId().getDescription())
                .isEqualTo("Meter some.library.thing (counter), recorded by a library that gives it no description");
        assertThat(none.getId().getDescription()).isNotBlank();
    }
}
