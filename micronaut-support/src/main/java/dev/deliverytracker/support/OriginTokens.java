package dev.deliverytracker.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Bearer tokens, each bound to one origin ({@code billing=<token>,auth=<token>}): who a caller is follows from the
 * token it presents, never from what its request claims. send-service records the origin in events; status-stream
 * shows a caller only the deliveries of its own origin, and {@value #ANY_ORIGIN} as the origin (an operator's or the
 * monitor's token) reads them all. Tokens are compared in constant time.
 */
public final class OriginTokens {

    /** The origin of a token that may read every origin's deliveries. */
    public static final String ANY_ORIGIN = "*";

    private static final int MIN_TOKEN_LENGTH = 16;

    /** The result of checking a request's Authorization header. */
    public sealed interface Check {
        /** Authenticated as {@code origin} ({@value #ANY_ORIGIN} for a reader of all origins). */
        record Allowed(String origin) implements Check {
            /** Whether this caller may see what {@code owner} (an event's origin, possibly null) sent. */
            public boolean mayRead(String owner) {
                return ANY_ORIGIN.equals(origin) || origin.equals(owner);
            }
        }

        /** Not authenticated; {@code reason} says why, for the 401's detail. */
        record Denied(String reason) implements Check {
        }
    }

    private record Entry(byte[] token, String origin) {
    }

    private final List<Entry> entries;

    private OriginTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads {@code origin=token,origin=token}; {@code setting} names the environment variable in error messages.
     *
     * @throws IllegalStateException naming the setting, for a pair without '=' or a token under 16 characters
     */
    public static OriginTokens parse(String spec, String setting) {
        List<Entry> entries = new ArrayList<>();
        if (spec != null) {
            for (String pair : spec.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalStateException(setting + " must be origin=token pairs separated by commas; one pair has no '='");
                }
                String origin = pair.substring(0, eq).trim();
                String token = pair.substring(eq + 1).trim();
                if (token.length() < MIN_TOKEN_LENGTH) {
                    throw new IllegalStateException(setting + ": the token of origin '" + origin + "' is shorter than "
                            + MIN_TOKEN_LENGTH + " characters");
                }
                entries.add(new Entry(token.getBytes(StandardCharsets.UTF_8), origin));
            }
        }
        return new OriginTokens(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether some token is bound to {@code origin}. */
    public boolean hasOrigin(String origin) {
        return entries.stream().anyMatch(e -> e.origin().equals(origin));
    }

    /** Checks an Authorization header ({@code Bearer <token>}); null or blank is denied as missing. */
    public Check check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Check.Denied("missing bearer token");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Check.Denied("the Authorization header must be 'Bearer <token>'");
        }
        byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        String origin = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(presented, entry.token())) {
                origin = entry.origin();
            }
        }
        return origin == null ? new Check.Denied("unknown token") : new Check.Allowed(origin);
    }
}
