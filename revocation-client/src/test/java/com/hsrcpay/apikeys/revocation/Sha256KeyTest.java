package com.hsrcpay.apikeys.revocation;

import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class Sha256KeyTest {

    @Test
    void hexAndDigestBytesGiveTheSameKey() throws Exception {
        String hex = SecretFormat.sha256("sk_live_example");
        Sha256Key fromHex = Sha256Key.parseHex(hex.toUpperCase(Locale.ROOT));
        Sha256Key fromBytes = new Sha256Key();
        fromBytes.setBytes(HexFormat.of().parseHex(hex));

        assertThat(fromHex).isEqualTo(fromBytes).hasSameHashCodeAs(fromBytes);
        assertThat(fromHex.toHex()).isEqualTo(hex);
        assertThat(Sha256Key.parseHex("f".repeat(64)).toHex()).isEqualTo("f".repeat(64));
        assertThat(Sha256Key.parseHex("0".repeat(64)).toHex()).isEqualTo("0".repeat(64));
    }

    @Test
    void anythingButSixtyFourHexDigitsIsRefused() {
        assertThat(Sha256Key.parseHex(null)).isNull();
        assertThat(Sha256Key.parseHex("a".repeat(63))).isNull();
        assertThat(Sha256Key.parseHex("a".repeat(65))).isNull();
        assertThat(Sha256Key.parseHex("a".repeat(63) + "g")).isNull();
        assertThat(Sha256Key.parseHex("a".repeat(63) + "\u0661")).isNull(); // ARABIC-INDIC DIGIT ONE
        assertThat(Sha256Key.parseHex("a".repeat(63) + "\uff21")).isNull(); // FULLWIDTH A

        Sha256Key probe = Sha256Key.parseHex("1".repeat(64));
        assertThat(probe.setHex("x".repeat(64))).isFalse();
        assertThat(probe.toHex()).as("unchanged by a refused value").isEqualTo("1".repeat(64));
    }
}
