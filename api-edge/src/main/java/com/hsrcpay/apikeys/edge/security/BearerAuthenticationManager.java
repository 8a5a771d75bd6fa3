package com.hsrcpay.apikeys.edge.security;

import com.hsrcpay.apikeys.edge.error.Unavailable;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.util.Optional;

/**
 * Tells the three credentials of the contract apart by their shape (a key contains sk_ or pk_ within its
 * first 32 characters) and turns each into a {@link Caller}.
 */
public class BearerAuthenticationManager implements AuthenticationManager {

    private static final int KEY_MARKER_WINDOW = 32;
    // one message for every refused key: no oracle telling unknown from revoked, inactive or expired
    private static final String REFUSED_KEY = "The key is not valid";

    private final JwtDecoder jwtDecoder;
    private final SecretKeyAuthenticator secretKeys;

    /** {@code secretKeys} may be null: secret-key credentials are then refused. */
    public BearerAuthenticationManager(JwtDecoder jwtDecoder, SecretKeyAuthenticator secretKeys) {
        this.jwtDecoder = jwtDecoder;
        this.secretKeys = secretKeys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        return authenticate(authentication, null);
    }

    /** As {@link #authenticate(Authentication)}, knowing the client's address (recorded as a key's last use). */
    public Authentication authenticate(Authentication authentication, String clientAddress) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        String head = token.substring(0, Math.min(token.length(), KEY_MARKER_WINDOW));
        if (head.contains("pk_")) {
            if (SecretFormat.parse(token).isEmpty()) {
                throw new InvalidBearerTokenException("The key is malformed or its checksum does not hold");
            }
            // publishable keys only identify an account to client-side code: authenticated, allowed nothing here
            Mode mode = token.contains("_test_") ? Mode.TEST : Mode.LIVE;
            return new CallerAuthentication(new Caller(Caller.Credential.PUBLISHABLE_KEY,
                    new Actor(Actor.Type.API_KEY, "publishable"), new AccountId(""), mode, Permissions.none()));
        }
        if (head.contains("sk_")) {
            // a mistyped or truncated key fails its checksum here, before any lookup
            SecretFormat.PresentedKey key = SecretFormat.parse(token)
                    .filter(k -> k.type() == com.hsrcpay.apikeys.shared.key.KeyType.SECRET)
                    .orElseThrow(() -> new InvalidBearerTokenException(REFUSED_KEY));
            if (secretKeys == null) {
                throw new InvalidBearerTokenException(REFUSED_KEY);
            }
            Optional<SecretKeyAuthenticator.Authenticated> caller;
            try {
                caller = secretKeys.authenticate(key, clientAddress);
            } catch (RuntimeException e) {
                if (Unavailable.isTransient(e)) {
                    // not a refused credential: the key could not be looked up now (503, not counted as a failure)
                    throw new AuthenticationServiceException("Key verification is unavailable", e);
                }
                throw e;
            }
            SecretKeyAuthenticator.Authenticated authenticated = caller.orElseThrow(
                    () -> new InvalidBearerTokenException(REFUSED_KEY));
            return new CallerAuthentication(authenticated.caller(), authenticated.rateLimits());
        }
        try {
            return new CallerAuthentication(JwtCallers.fromJwt(jwtDecoder.decode(token)));
        } catch (JwtException e) {
            throw new InvalidBearerTokenException("The token is invalid, expired or not yet valid", e);
        }
    }
}
