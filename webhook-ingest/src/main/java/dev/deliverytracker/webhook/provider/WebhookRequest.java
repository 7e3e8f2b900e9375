package dev.deliverytracker.webhook.provider;

import java.net.InetAddress;
import java.time.Instant;
import java.util.function.Function;

/**
 * One webhook call as an adapter sees it, free of any HTTP framework.
 *
 * @param headers    header lookup by name, case-insensitive; null when absent
 * @param body       the raw body (already bounded by the server's size limit)
 * @param source     the sender's address after trusted-proxy resolution
 * @param receivedAt when the request arrived
 */
public record WebhookRequest(String path, Function<String, String> headers, byte[] body, InetAddress source, Instant receivedAt) {

    public String header(String name) {
        return headers.apply(name);
    }
}
