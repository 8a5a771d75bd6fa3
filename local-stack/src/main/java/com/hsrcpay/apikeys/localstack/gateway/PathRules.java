package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.edge.error.ApiError;

import java.util.Optional;

/**
 * The gateway forwards a path exactly as the client sent it, so it forwards only paths that mean the same to every
 * reader: the route table, the service's web server and the service's router. A path is refused when a reader could
 * see another path in it than the table did: dot segments (raw or percent-encoded), encoded ASCII (an encoded slash,
 * backslash, dot, NUL or control character), path parameters ({@code ;}) and raw characters outside RFC 3986.
 * Empty segments ({@code //}) are 404: no route has one, and {@code //host:port/...} is how a path turns into an
 * authority.
 */
public final class PathRules {

    private PathRules() {
    }

    /** Why {@code rawPath} (as in the request line) is refused, or empty when it may be routed. */
    public static Optional<ApiError> refusal(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.of(ApiError.rejectedRequest());
        }
        if (rawPath.contains("//")) {
            return Optional.of(ApiError.ofStatus(404));
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                if (!encodesNonAscii(rawPath, i)) {
                    return Optional.of(ApiError.rejectedRequest());
                }
            } else if (!isPathCharacter(c)) {
                return Optional.of(ApiError.rejectedRequest());
            }
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of(ApiError.rejectedRequest());
            }
        }
        return Optional.empty();
    }

    /** {@code %XY} with a byte of 0x80 or above: part of an encoded UTF-8 character, never a separator. */
    private static boolean encodesNonAscii(String path, int percent) {
        if (percent + 2 >= path.length()) {
            return false;
        }
        int high = Character.digit(path.charAt(percent + 1), 16);
        int low = Character.digit(path.charAt(percent + 2), 16);
        return high >= 8 && low >= 0;
    }

    /** RFC 3986 pchar and "/", without ";" (a path parameter, which servers strip before routing). */
    private static boolean isPathCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,=:@/".indexOf(c) >= 0;
    }
}
