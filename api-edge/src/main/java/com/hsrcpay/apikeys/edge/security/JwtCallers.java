package com.hsrcpay.apikeys.edge.security;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a {@link Caller} from the claims of a verified JWT: {@code sub}, {@code account_id}, {@code permissions} or
 * {@code scope}, {@code mode}. Each claim must have its JSON type as sent, not as a decoder coerced it: the JWT
 * libraries turn a numeric {@code sub} into text, and a lenient reading would turn {@code account_id: 12345} or
 * {@code [..]} into an account. Any claim of the wrong shape is a refused token (401), like a bad signature.
 */
final class JwtCallers {

    static final Pattern ACCOUNT_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    // a claim named twice is refused: no reading of "which one counts" may differ from the issuer's
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private JwtCallers() {
    }

    static Caller fromJwt(Jwt jwt) {
        JsonNode claims = rawClaims(jwt.getTokenValue());
        String subject = text(claims, "sub");
        String account = text(claims, "account_id");
        if (subject == null || subject.isBlank() || account == null || !ACCOUNT_ID.matcher(account).matches()) {
            throw refused("The token's sub or account_id claim is missing or malformed");
        }
        return new Caller(Caller.Credential.JWT, new Actor(Actor.Type.USER, subject), new AccountId(account),
                mode(claims), Permissions.fromStrings(permissions(claims)));
    }

    /** The payload as sent (the signature was verified by the decoder; this is the same token's middle part). */
    private static JsonNode rawClaims(String token) {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(first + 1, second)));
            if (claims == null || !claims.isObject()) {
                throw refused("The token's claims are not a JSON object");
            }
            return claims;
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw refused("The token's claims are not readable");
        }
    }

    /** The claim's text, null when absent; refused when present but not a JSON string. */
    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw refused("The " + name + " claim must be a string");
        }
        return value.textValue();
    }

    private static Mode mode(JsonNode claims) {
        String mode = text(claims, "mode");
        if (mode == null || mode.equals("live")) {
            return Mode.LIVE;
        }
        if (mode.equals("test")) {
            return Mode.TEST;
        }
        throw refused("The mode claim must be live or test");
    }

    private static List<String> permissions(JsonNode claims) {
        List<String> all = new ArrayList<>();
        JsonNode listed = claims.get("permissions");
        if (listed != null && !listed.isNull()) {
            if (!listed.isArray()) {
                throw refused("The permissions claim must be an array of strings");
            }
            for (JsonNode permission : listed) {
                if (!permission.isTextual()) {
                    throw refused("The permissions claim must be an array of strings");
                }
                all.add(permission.textValue());
            }
        }
        String scope = text(claims, "scope");
        if (scope != null && !scope.isBlank()) {
            all.addAll(Arrays.asList(scope.trim().split("\\s+")));
        }
        return all;
    }

    private static InvalidBearerTokenException refused(String why) {
        return new InvalidBearerTokenException(why);
    }
}
