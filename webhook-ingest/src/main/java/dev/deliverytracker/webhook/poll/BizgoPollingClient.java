package dev.deliverytracker.webhook.poll;

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
import java.util.ArrayList;
import java.util.List;

/**
 * Bizgo's report polling API (icomm-api/bizgo-api-spec: reports-webhooks.md, openapi/paths/api_comm_v1_report_polling*):
 * {@code GET /api/comm/v1/report/polling} returns {@code data.data.reportId} and {@code data.data.report[]} (an empty
 * reportId and a null report when nothing is pending); {@code DELETE /api/comm/v1/report/polling/{reportId}}
 * acknowledges the batch, which comes back until then. Both answer Bizgo's envelope
 * {@code {common: {authCode}, data: {code, result, data}}}; success is A000 in both layers. The API key goes raw in
 * {@code Authorization}. Never logs the key.
 */
public final class BizgoPollingClient {

    static final String POLL_PATH = "/api/comm/v1/report/polling";

    /** One batch; {@code reportId} is empty when nothing was pending. */
    public record Batch(String reportId, List<JsonNode> reports) {
        public boolean isEmpty() {
            return reportId.isEmpty() || reports.isEmpty();
        }
    }

    /** Bizgo said no (or could not be reached): the code says why (A801: the key is not set to POLLING). */
    public static final class PollingException extends RuntimeException {
        PollingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public BizgoPollingClient(String baseUrl, String apiKey, Duration timeout) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("delivery.pollers.bizgo.api-key is empty: set BIZGO_API_KEY to poll Bizgo's reports");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Batch poll() {
        JsonNode data = call("GET", POLL_PATH).path("data").path("data");
        String reportId = data.path("reportId").asText("");
        List<JsonNode> reports = new ArrayList<>();
        data.path("report").forEach(reports::add);
        return new Batch(reportId, reports);
    }

    public void acknowledge(String reportId) {
        call("DELETE", POLL_PATH + "/" + URLEncoder.encode(reportId, StandardCharsets.UTF_8));
    }

    private JsonNode call(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Authorization", apiKey)
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PollingException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PollingException("interrupted", e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new PollingException(method + " " + path + " answered HTTP " + response.statusCode() + " without JSON", e);
        }
        String auth = body.path("common").path("authCode").asText("");
        String code = body.path("data").path("code").asText("");
        if (response.statusCode() / 100 != 2 || !"A000".equals(auth) || !"A000".equals(code)) {
            throw new PollingException(method + " " + path + " answered HTTP " + response.statusCode() + ", authCode "
                    + auth + ", code " + code + " (" + body.path("data").path("result").asText("") + ")"
                    + ("A801".equals(code) ? ": the API key is set to WEBHOOK, not POLLING, in Bizgo's console" : ""), null);
        }
        return body;
    }
}
