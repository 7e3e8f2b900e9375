package dev.deliverytracker.send.auth;

import dev.deliverytracker.send.app.SendServiceProperties;
import dev.deliverytracker.support.OriginTokens;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * Who is calling: the origin bound to the bearer token a request presents ({@link OriginTokens}), never what the request
 * body claims. With {@code delivery.send-service.allow-anonymous} (development only) a request without a token is let
 * through with no verified origin; a wrong token is refused all the same.
 */
@Singleton
public class ProducerAuthenticator {

    /** The answer for one request. */
    public sealed interface Result {
        /** A producer; {@code origin} null only for an anonymous request where that is allowed. */
        record Authenticated(@Nullable String origin) implements Result {
        }

        /** Refused (401): {@code reason} says what was wrong, without echoing the token. */
        record Refused(String reason) implements Result {
        }
    }

    private final OriginTokens tokens;
    private final boolean allowAnonymous;

    public ProducerAuthenticator(OriginTokens tokens, SendServiceProperties properties) {
        this(tokens, properties.allowAnonymous());
    }

    ProducerAuthenticator(OriginTokens tokens, boolean allowAnonymous) {
        this.tokens = tokens;
        this.allowAnonymous = allowAnonymous;
    }

    public Result authenticate(@Nullable String authorization) {
        if (allowAnonymous && (authorization == null || authorization.isBlank())) {
            return new Result.Authenticated(null);
        }
        OriginTokens.Check check = tokens.check(authorization);
        if (check instanceof OriginTokens.Check.Allowed allowed) {
            return new Result.Authenticated(allowed.origin());
        }
        return new Result.Refused(((OriginTokens.Check.Denied) check).reason());
    }
}
