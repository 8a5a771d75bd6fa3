package com.hsrcpay.apikeys.edge.security;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Reads a {@link Caller} from the claims of a verified JWT: sub, account_id, permissions or scope, mode. */
final class JwtCallers {

    private JwtCallers() {
    }

    static Caller fromJwt(Jwt jwt) {
        String subject = jwt.getSubject();
        String account = jwt.getClaimAsString("account_id");
        if (subject == null || subject.isBlank() || account == null || account.isBlank()) {
            throw new InvalidBearerTokenException("The token lacks the sub or account_id claim");
        }
        return new Caller(Caller.Credential.JWT, new Actor(Actor.Type.USER, subject), new AccountId(account),
                mode(jwt), Permissions.fromStrings(permissions(jwt)));
    }

    private static Mode mode(Jwt jwt) {
        String mode = jwt.getClaimAsString("mode");
        if (mode == null || mode.equals("live")) {
            return Mode.LIVE;
        }
        if (mode.equals("test")) {
            return Mode.TEST;
        }
        throw new InvalidBearerTokenException("The mode claim must be live or test");
    }

    private static Collection<String> permissions(Jwt jwt) {
        List<String> all = new ArrayList<>();
        Object listed = jwt.getClaims().get("permissions");
        if (listed instanceof Collection<?> values) {
            values.forEach(v -> all.add(String.valueOf(v)));
        } else if (listed != null) {
            throw new InvalidBearerTokenException("The permissions claim must be an array of strings");
        }
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String text) {
            all.addAll(Arrays.asList(text.trim().split("\\s+")));
        }
        return all;
    }
}
