package dev.deliverytracker.send.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Producers' bearer tokens, each bound to one origin ({@code SEND_SERVICE_CLIENT_TOKENS=billing=...,auth=...}), so
 * the origin recorded in events is the caller's, not whatever the body claims. Without tokens the service refuses to
 * start unless anonymous access is switched on for development.
 */
public final class ClientTokens {

    /** The result of checking a request's Authorization header. */
    public sealed interface Check {
        /** Authenticated as {@code origin}, or anonymous (origin null) when allowed. */
        record Allowed(String origin) implements Check {
        }

        record Denied(String reason) implements Check {
        }
    }

    private final Map<String, String> originByToken;
    private final boolean allowAnonymous;

    private ClientTokens(Map<String, String> originByToken, boolean allowAnonymous) {
        this.originByToken = Map.copyOf(originByToken);
        this.allowAnonymous = allowAnonymous;
    }

    public static ClientTokens parse(String spec, boolean allowAnonymous) {
        Map<String, String> originByToken = new LinkedHashMap<>();
        if (spec != null) {
            for (String pair : spec.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalStateException("SEND_SERVICE_CLIENT_TOKENS must be origin=token pairs separated by commas; one pair has no '='");
                }
                String token = pair.substring(eq + 1).trim();
                if (token.length() < 16) {
                    throw new IllegalStateException("The token of origin '" + pair.substring(0, eq).trim() + "' is shorter than 16 characters");
                }
                originByToken.put(token, pair.substring(0, eq).trim());
            }
        }
        if (originByToken.isEmpty() && !allowAnonymous) {
            throw new IllegalStateException("No producer tokens: set SEND_SERVICE_CLIENT_TOKENS (origin=token,...), "
                    + "or delivery.send-service.allow-anonymous=true for development");
        }
        return new ClientTokens(originByToken, allowAnonymous);
    }

    public Check check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return allowAnonymous ? new Check.Allowed(null) : new Check.Denied("missing bearer token");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Check.Denied("the Authorization header must be 'Bearer <token>'");
        }
        byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        Optional<String> origin = Optional.empty();
        for (Map.Entry<String, String> entry : originByToken.entrySet()) {
            if (MessageDigest.isEqual(presented, entry.getKey().getBytes(StandardCharsets.UTF_8))) {
                origin = Optional.of(entry.getValue());
            }
        }
        return origin.<Check>map(Check.Allowed::new).orElseGet(() -> new Check.Denied("unknown token"));
    }
}
