package com.hsrcpay.apikeys.shared.secret;

import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/** The key format: issued keys parse, any single change of a character is refused by the checksum, nothing else parses. */
class SecretFormatTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private final SecureRandom random = new SecureRandom();

    @Test
    void issuedKeysParseWithTheirTypeModeAndHash() {
        for (KeyType type : KeyType.values()) {
            for (Mode mode : Mode.values()) {
                IssuedSecret issued = SecretFormat.issue(type, mode, random);
                assertThat(issued.plaintext()).startsWith(SecretFormat.prefix(type, mode)).hasSize(8 + 32 + 6);
                SecretFormat.PresentedKey parsed = SecretFormat.parse(issued.plaintext()).orElseThrow();
                assertThat(parsed.type()).isEqualTo(type);
                assertThat(parsed.mode()).isEqualTo(mode);
                assertThat(parsed.sha256()).isEqualTo(issued.fingerprint().sha256())
                        .isEqualTo(SecretFormat.sha256(issued.plaintext()));
                assertThat(issued.fingerprint().hint()).isEqualTo(SecretFormat.hint(issued.plaintext()))
                        .doesNotContain(issued.plaintext().substring(8, 40));
                assertThat(issued.toString()).doesNotContain(issued.plaintext());
            }
        }
    }

    @Test
    void anyMistypedCharacterIsRefusedWithoutALookup() {
        String key = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, random).plaintext();
        qt().withExamples(3000).forAll(integers().between(8, key.length() - 1), integers().between(0, 61))
                .checkAssert((position, replacement) -> {
                    char next = BASE62.charAt(replacement);
                    if (next == key.charAt(position)) {
                        return;
                    }
                    String mistyped = key.substring(0, position) + next + key.substring(position + 1);
                    assertThat(SecretFormat.parse(mistyped)).as(mistyped).isEmpty();
                });
    }

    @Test
    void truncatedExtendedOrForeignStringsAreRefused() {
        String key = SecretFormat.issue(KeyType.SECRET, Mode.TEST, random).plaintext();
        assertThat(SecretFormat.parse(key.substring(0, key.length() - 1))).isEmpty();
        assertThat(SecretFormat.parse(key + "a")).isEmpty();
        assertThat(SecretFormat.parse(" " + key)).isEmpty();
        assertThat(SecretFormat.parse(key + "\n")).isEmpty();
        assertThat(SecretFormat.parse(key.replace("sk_test_", "sk_prod_"))).isEmpty();
        assertThat(SecretFormat.parse(null)).isEmpty();
        qt().withExamples(2000).forAll(strings().allPossible().ofLengthBetween(0, 60))
                .checkAssert(text -> assertThat(SecretFormat.parse(text)).isEmpty());
    }

    @Test
    void issuedKeysDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(SecretFormat.issue(KeyType.SECRET, Mode.LIVE, random).plaintext())).isTrue();
        }
    }
}
