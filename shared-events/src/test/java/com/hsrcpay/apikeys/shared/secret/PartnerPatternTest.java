package com.hsrcpay.apikeys.shared.secret;

import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The regular expression the README documents for GitHub's secret scanning partner registration (the line after
 * {@code <!-- secret-scanning-pattern -->}): it finds every key format the service issues where leaks are found, and
 * nothing of another length, prefix or alphabet.
 */
class PartnerPatternTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern DOCUMENTED = documented();

    @Test
    void itFindsEveryIssuedFormatWhereLeaksAreFound() {
        List<String> contexts = List.of("%s", "API_KEY=%s\n", "export KMS_KEY=\"%s\"", "{\"key\": \"%s\"}",
                "key: '%s' # prod", "curl -H 'Authorization: Bearer %s' https://api", "<value>%s</value>");
        for (KeyType type : KeyType.values()) {
            for (Mode mode : Mode.values()) {
                for (int i = 0; i < 500; i++) {
                    String key = SecretFormat.issue(type, mode, RANDOM).plaintext();
                    String text = contexts.get(i % contexts.size()).formatted(key);
                    Matcher found = DOCUMENTED.matcher(text);
                    assertThat(found.find()).as("%s in %s", key, text).isTrue();
                    assertThat(found.group()).isEqualTo(key);
                    assertThat(SecretFormat.parse(found.group())).isPresent();
                }
            }
        }
    }

    @Test
    void itFindsNothingOfAnotherLengthPrefixOrAlphabet() {
        String key = SecretFormat.issue(KeyType.SECRET, Mode.LIVE, RANDOM).plaintext();
        String body = key.substring("sk_live_".length());
        List<String> notOurs = List.of(
                key.substring(0, key.length() - 1),                  // truncated
                key + "x",                                           // longer
                "sk_live_" + body.substring(0, 24),                  // another vendor's length
                "sk_live_" + body + body,                            // ... and another
                "rk_live_" + body,                                   // another prefix
                "sk_prod_" + body,
                "SK_LIVE_" + body,
                "sk-live-" + body,
                "sk_live_" + body.substring(0, 37) + "-",            // outside base62
                "sk_live_" + body.substring(0, 37) + "é",
                "xsk_live_" + body,                                  // inside a longer word
                "whsec_" + body);
        for (String candidate : notOurs) {
            assertThat(DOCUMENTED.matcher(candidate).find()).as(candidate).isFalse();
        }
    }

    private static Pattern documented() {
        try {
            List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
            int marker = lines.indexOf("<!-- secret-scanning-pattern -->");
            assertThat(marker).as("the README documents the pattern after its marker").isGreaterThanOrEqualTo(0);
            assertThat(lines.get(marker + 1)).isEqualTo("```text");
            return Pattern.compile(lines.get(marker + 2));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
