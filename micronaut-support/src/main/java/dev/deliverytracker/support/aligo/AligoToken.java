package dev.deliverytracker.support.aligo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Aligo's time-limited token (smartsms.aligo.in/alimapi.html: {@code POST /akv10/token/create/{minutes}/i/} with
 * {@code apikey} and {@code userid} answers {@code code} 0 and a {@code token}), reused until a minute before it
 * expires, or until a call says it is no longer valid. A token is bound to the server that made it, so each instance,
 * and each of send-service and webhook-ingest, keeps its own. Also Aligo's form encoding and lenient JSON reading.
 */
public final class AligoToken {

    /** Aligo refused to make a token: the key, the user id, or the calling server's IP (an operator's problem). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String base;
    private final String apiKey;
    private final String userId;
    private final Duration lifetime;
    private final Duration timeout;
    private String token;
    private long renewAfter;

    public AligoToken(HttpClient client, String base, String apiKey, String userId, Duration lifetime, Duration timeout) {
        this.client = client;
        this.base = base.replaceAll("/+$", "");
        this.apiKey = apiKey;
        this.userId = userId;
        this.lifetime = lifetime.toMinutes() < 2 ? Duration.ofMinutes(2) : lifetime;
        this.timeout = timeout;
    }

    /** @throws Refused when Aligo will not make a token */
    public synchronized String current() throws IOException, InterruptedException {
        if (token == null || System.nanoTime() - renewAfter > 0) {
            create();
        }
        return token;
    }

    public synchronized void invalidate() {
        token = null;
    }

    /** The fields every call carries: {@code apikey}, {@code userid}, {@code token}. */
    public Map<String, String> credentials() throws IOException, InterruptedException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("apikey", apiKey);
        fields.put("userid", userId);
        fields.put("token", current());
        return fields;
    }

    private void create() throws IOException, InterruptedException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("apikey", apiKey);
        fields.put("userid", userId);
        URI uri = URI.create(base + "/akv10/token/create/" + lifetime.toMinutes() + "/i/");
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode root = lenient(response.body());
        if (root == null || !"0".equals(root.path("code").asText()) || root.path("token").asText("").isBlank()) {
            String why = root == null ? "HTTP " + response.statusCode() : root.path("code").asText() + " " + root.path("message").asText();
            throw new Refused("Aligo refused to make a token (" + why + "): check ALIGO_API_KEY, ALIGO_USER_ID and that this server's IP "
                    + "is registered with Aligo");
        }
        token = root.path("token").asText();
        renewAfter = System.nanoTime() + lifetime.minusMinutes(1).toNanos();
    }

    /** Aligo's request bodies: form-encoded, UTF-8. */
    public static String encode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(),
                        StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Aligo's answers as JSON; its page's examples lack commas, so a body that is not a JSON object is read as missing. */
    public static JsonNode lenient(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            return root != null && root.isObject() ? root : null;
        } catch (IOException e) {
            return null;
        }
    }
}
