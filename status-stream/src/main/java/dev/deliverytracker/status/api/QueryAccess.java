package dev.deliverytracker.status.api;

import dev.deliverytracker.support.OriginTokens;

/**
 * Who may read {@code GET /v1/deliveries/{msgKey}}. A delivery's history names its recipient (masked), template and
 * provider texts, so the API is closed by default: each producer reads with its own send-service token
 * ({@code STATUS_STREAM_QUERY_TOKENS}, the same {@code origin=token} pairs) and sees only its own origin's deliveries;
 * a token bound to {@value OriginTokens#ANY_ORIGIN} (operators, the monitor) reads every origin. {@code open} lets
 * anyone read, for the one-machine mode and development.
 */
public final class QueryAccess {

    /** What to do with one request. */
    public sealed interface Decision {
        /** Read as {@code caller}: a delivery of another origin is answered as unknown. */
        record Read(OriginTokens.Check.Allowed caller) implements Decision {
        }

        /** 401: no or an unknown token. */
        record Unauthenticated(String reason) implements Decision {
        }

        /** 403: no token is configured at all, so nobody can be let in. */
        record Closed(String reason) implements Decision {
        }
    }

    private static final OriginTokens.Check.Allowed ANYONE = new OriginTokens.Check.Allowed(OriginTokens.ANY_ORIGIN);

    private final OriginTokens tokens;
    private final boolean open;

    public QueryAccess(OriginTokens tokens, boolean open) {
        this.tokens = tokens;
        this.open = open;
    }

    /** Whether nobody can read: no token configured and not open. Logged at start-up. */
    public boolean closed() {
        return !open && tokens.isEmpty();
    }

    public boolean open() {
        return open;
    }

    public Decision decide(String authorization) {
        if (open) {
            return new Decision.Read(ANYONE);
        }
        if (tokens.isEmpty()) {
            return new Decision.Closed("The delivery query API has no tokens configured: set STATUS_STREAM_QUERY_TOKENS"
                    + " (origin=token pairs, the producers' send-service tokens; *=<token> reads every origin)");
        }
        OriginTokens.Check check = tokens.check(authorization);
        if (check instanceof OriginTokens.Check.Allowed allowed) {
            return new Decision.Read(allowed);
        }
        return new Decision.Unauthenticated(((OriginTokens.Check.Denied) check).reason());
    }
}
