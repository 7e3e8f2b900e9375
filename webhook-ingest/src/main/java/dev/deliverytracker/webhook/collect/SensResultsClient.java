package dev.deliverytracker.webhook.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.retry.RetryAfter;
import dev.deliverytracker.support.sens.SensSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SENS's AlimTalk result API for one request: {@code GET /alimtalk/v2/services/{serviceId}/messages?requestId=...},
 * following {@code nextToken} (api.ncloud-docs.com, SENS > AlimTalk v2 > 메시지 목록 조회), each call signed. A message's
 * group is its SENS request ({@code requestId}), its reference its {@code messageId}: the delivery key is
 * {@code requestId:messageId}. Never throws for what SENS answers.
 */
public class SensResultsClient implements ResultSource {

    public static final String PROVIDER = "ncp-sens";
    private static final Logger LOG = LoggerFactory.getLogger(SensResultsClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PAGES = 20;

    private final HttpClient http;
    private final String baseUrl;
    private final String path;
    private final SensSignature signature;
    private final Duration timeout;
    private final Clock clock;

    public SensResultsClient(String baseUrl, String serviceId, SensSignature signature, Duration timeout, Clock clock) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.path = "/alimtalk/v2/services/" + serviceId + "/messages";
        this.signature = signature;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * @param budget how long all the pages together may take; each call's timeout is the smaller of the budget left and
     *               the configured request timeout
     */
    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Optional<PendingMessage> pending(SendEvent send, long nextAskAt) {
        String msgKey = send.getMsgKey();
        int colon = msgKey.indexOf(':');
        if (colon <= 0 || colon == msgKey.length() - 1) {
            LOG.warn("A SENS send whose msgKey is not requestId:messageId cannot be collected: {}", msgKey);
            return Optional.empty();
        }
        return Optional.of(new PendingMessage(msgKey.substring(0, colon), msgKey.substring(colon + 1), "",
                send.getAcceptedAt().toEpochMilli(), nextAskAt, 0, false));
    }

    /**
     * @param budget how long all the pages together may take; each call's timeout is the smaller of the budget left and
     *               the configured request timeout
     */
    @Override
    public CollectedAnswer results(String requestId, List<PendingMessage> pending, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, CollectedResult> results = new HashMap<>();
        int unreadable = 0;
        String nextToken = null;
        int calls = 0;
        do {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.toMillis() < 50) {
                return new CollectedAnswer.Unfinished("the round's time ran out after " + calls + " pages", calls);
            }
            String query = "?requestId=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8)
                    + (nextToken == null ? "" : "&nextToken=" + URLEncoder.encode(nextToken, StandardCharsets.UTF_8));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path + query))
                    .timeout(left.compareTo(timeout) < 0 ? left : timeout).GET()
                    .header("Accept", "application/json");
            signature.headers("GET", path + query, clock.millis()).forEach(request::header);
            HttpResponse<byte[]> response;
            calls++;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                return new CollectedAnswer.Unavailable("SENS unreachable: " + e.getClass().getSimpleName(), null, calls);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new CollectedAnswer.Unavailable("interrupted", null, calls);
            }
            int status = response.statusCode();
            if (status == 404) {
                return calls == 1 ? new CollectedAnswer.NoRecords(calls) : new CollectedAnswer.Unfinished("page " + calls + " answered 404", calls);
            }
            if (status == 429 || status >= 500) {
                return new CollectedAnswer.Unavailable("SENS answered HTTP " + status, RetryAfter.of(response).orElse(null), calls);
            }
            if (status != 200) {
                // 401/403: the keys or the service id are wrong; nothing will work until an operator acts
                return new CollectedAnswer.Unavailable("SENS refused the result call with HTTP " + status + " (check NCP_ACCESS_KEY, NCP_SECRET_KEY, "
                        + "NCP_SENS_ALIMTALK_SERVICE_ID and the clock)", null, calls);
            }
            JsonNode root;
            try {
                root = JSON.readTree(response.body());
            } catch (IOException e) {
                return new CollectedAnswer.Malformed("not JSON", calls);
            }
            JsonNode messages = root == null ? null : root.path("messages");
            if (messages == null || !messages.isArray()) {
                return new CollectedAnswer.Malformed("no messages array", calls);
            }
            for (JsonNode item : messages) {
                try {
                    results.put(messageId(item), parse(item));
                } catch (IllegalArgumentException e) {
                    unreadable++; // one bad item must not hold back the others' results
                }
            }
            nextToken = Optional.ofNullable(root.path("nextToken").asText(null)).filter(t -> !t.isBlank()).orElse(null);
        } while (nextToken != null && calls < MAX_PAGES);
        if (nextToken != null) {
            return new CollectedAnswer.Unfinished("more than " + MAX_PAGES + " pages", calls);
        }
        return new CollectedAnswer.Found(results, unreadable, calls);
    }


    private static String messageId(JsonNode item) {
        String messageId = item.path("messageId").asText("");
        if (messageId.isBlank()) {
            throw new IllegalArgumentException("a result without a messageId");
        }
        return messageId;
    }

    /**
     * One message's result: {@code messageStatusName} (processing | success | fail), {@code messageStatusCode} (0000
     * delivered, "others: failure"), {@code messageStatusDesc}, {@code completeTime}. The messageStatus fields are
     * absent until Kakao has answered: that is processing too. SENS documents no result of an SMS/LMS fail-over here.
     *
     * @throws IllegalArgumentException when the item lacks what every final result has
     */
    static CollectedResult parse(JsonNode item) {
        String status = item.path("messageStatusName").asText("");
        if (status.isEmpty() || status.equalsIgnoreCase("processing") || status.equalsIgnoreCase("ready")) {
            return CollectedResult.stillProcessing();
        }
        String code = item.path("messageStatusCode").asText("");
        if (code.isBlank()) {
            throw new IllegalArgumentException("message " + messageId(item) + " is '" + status + "' without a messageStatusCode");
        }
        return CollectedResult.of(Channel.ALIMTALK, code, item.path("messageStatusDesc").asText(null),
                KoreanTime.parse(item.path("completeTime").asText(null)));
    }
}
