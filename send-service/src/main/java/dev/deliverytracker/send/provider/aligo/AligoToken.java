package dev.deliverytracker.send.provider.aligo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.send.dispatch.ProviderUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Aligo's time-limited token ({@code POST /akv10/token/create/{minutes}/i/} with {@code apikey} and {@code userid}
 * answers {@code code} 0 and a {@code token}), reused until a minute before it expires, or until a send says it is no
 * longer valid. A token is bound to the server that made it (Aligo's page), so each instance keeps its own.
 */
final class AligoToken {

    private final HttpClient client;
    private final String base;
    private final String apiKey;
    private final String userId;
    private final Duration lifetime;
    private final Duration timeout;
    private String token;
    private long renewAfter;

    AligoToken(HttpClient client, String base, String apiKey, String userId, Duration lifetime, Duration timeout) {
        this.client = client;
        this.base = base;
        this.apiKey = apiKey;
        this.userId = userId;
        this.lifetime = lifetime.toMinutes() < 2 ? Duration.ofMinutes(2) : lifetime;
        this.timeout = timeout;
    }

    synchronized String current() throws IOException, InterruptedException, ProviderUnavailableException {
        if (token == null || System.nanoTime() - renewAfter > 0) {
            create();
        }
        return token;
    }

    synchronized void invalidate() {
        token = null;
    }

    private void create() throws IOException, InterruptedException, ProviderUnavailableException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("apikey", apiKey);
        fields.put("userid", userId);
        URI uri = URI.create(base + "/akv10/token/create/" + lifetime.toMinutes() + "/i/");
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(AligoSendAdapter.encode(fields), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode root = AligoSendAdapter.lenient(response.body());
        if (root == null || !"0".equals(root.path("code").asText()) || root.path("token").asText("").isBlank()) {
            String why = root == null ? "HTTP " + response.statusCode() : root.path("code").asText() + " " + root.path("message").asText();
            throw new ProviderUnavailableException("Aligo refused to make a token (" + why + "): check ALIGO_API_KEY, ALIGO_USER_ID and "
                    + "that this server's IP is registered with Aligo", false, 1, null);
        }
        token = root.path("token").asText();
        renewAfter = System.nanoTime() + lifetime.minusMinutes(1).toNanos();
    }
}
