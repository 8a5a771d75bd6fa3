package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query service without a checkpoint signing key does not start, with an error naming the setting, unless an
 * ephemeral key is allowed explicitly (tests); checkpoints signed by a key gone at restart are of no use to an auditor.
 */
class TransparencySettingsTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TransparencySettings.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void withoutASigningKeyTheServiceRefusesToStartNamingTheSetting() {
        context.run(started -> assertThat(started).hasFailed()
                .getFailure().rootCause().hasMessageContaining("kms.transparency.signing-key")
                .hasMessageContaining("KMS_TRANSPARENCY_SIGNING_KEY")
                .hasMessageContaining("kms.transparency.ephemeral-key-allowed=true"));
        context.withPropertyValues("kms.transparency.signing-key=  ")
                .run(started -> assertThat(started).hasFailed());
    }

    @Test
    void aConfiguredKeyOrAnExplicitlyAllowedEphemeralOneStarts() {
        String key = NoteSigner.generate("test.example/log");
        context.withPropertyValues("kms.transparency.signing-key=" + key).run(started -> {
            assertThat(started).hasNotFailed();
            assertThat(started.getBean(TransparencySettings.class).signingKey()).isEqualTo(key);
            assertThat(started.getBean(TransparencySettings.class).toString()).doesNotContain(key);
        });
        context.withPropertyValues("kms.transparency.ephemeral-key-allowed=true").run(started -> {
            assertThat(started).hasNotFailed();
            assertThat(new TransparencyConfiguration().checkpointSigner(started.getBean(TransparencySettings.class))
                    .name()).isEqualTo(TransparencySettings.EPHEMERAL_ORIGIN);
        });
    }
}
