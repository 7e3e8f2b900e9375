package dev.deliverytracker.webhook.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deliverytracker.retry.RetryAfter;
import dev.deliverytracker.support.sens.SensSignature;

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
import java.util.Map;
import java.util.Optional;

/**
 * SENS's AlimTalk result API for one request: {@code GET /alimtalk/v2/services/{serviceId}/messages?requestId=...},
 * following {@code nextToken} (api.ncloud-docs.com, SENS > AlimTalk v2 > 메시지 목록 조회), each call signed. Never
 * throws for what SENS answers: every answer is one of {@link Answer}'s cases.
 */
public class SensResultsClient {

    /** What asking about one request came to. */
    public sealed interface Answer {
        /**
         * The request's messages SENS shows, by messageId; {@code unreadable} items (not in SENS's shape) are left out,
         * so their messages count as not listed, and are logged and counted by the caller.
         */
        record Found(Map<String, SensResult> results, int unreadable, int calls) implements Answer {
        }

        /** SENS has no records of the request (an empty 404): too early, or past its retention. */
        record NoRecords(int calls) implements Answer {
        }

        /** SENS refused or failed, or could not be reached: ask again later, after a back-off. */
        record Unavailable(String reason, Duration retryAfter, int calls) implements Answer {
        }

        /** SENS answered something that is not its documented shape: logged and counted, asked again later. */
        record Malformed(String reason, int calls) implements Answer {
        }

        /** Not every page could be read within the time given (or SENS's pages ran out mid-way): ask again later. */
        record Unfinished(String reason, int calls) implements Answer {
        }
    }

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
    public Answer results(String requestId, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, SensResult> results = new HashMap<>();
        int unreadable = 0;
        String nextToken = null;
        int calls = 0;
        do {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.toMillis() < 50) {
                return new Answer.Unfinished("the round's time ran out after " + calls + " pages", calls);
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
                return new Answer.Unavailable("SENS unreachable: " + e.getClass().getSimpleName(), null, calls);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer.Unavailable("interrupted", null, calls);
            }
            int status = response.statusCode();
            if (status == 404) {
                return calls == 1 ? new Answer.NoRecords(calls) : new Answer.Unfinished("page " + calls + " answered 404", calls);
            }
            if (status == 429 || status >= 500) {
                return new Answer.Unavailable("SENS answered HTTP " + status, RetryAfter.of(response).orElse(null), calls);
            }
            if (status != 200) {
                // 401/403: the keys or the service id are wrong; nothing will work until an operator acts
                return new Answer.Unavailable("SENS refused the result call with HTTP " + status + " (check NCP_ACCESS_KEY, NCP_SECRET_KEY, "
                        + "NCP_SENS_ALIMTALK_SERVICE_ID and the clock)", null, calls);
            }
            JsonNode root;
            try {
                root = JSON.readTree(response.body());
            } catch (IOException e) {
                return new Answer.Malformed("not JSON", calls);
            }
            JsonNode messages = root == null ? null : root.path("messages");
            if (messages == null || !messages.isArray()) {
                return new Answer.Malformed("no messages array", calls);
            }
            for (JsonNode item : messages) {
                try {
                    SensResult result = SensResult.parse(item);
                    results.put(result.messageId(), result);
                } catch (IllegalArgumentException e) {
                    unreadable++; // one bad item must not hold back the others' results
                }
            }
            nextToken = Optional.ofNullable(root.path("nextToken").asText(null)).filter(t -> !t.isBlank()).orElse(null);
        } while (nextToken != null && calls < MAX_PAGES);
        if (nextToken != null) {
            return new Answer.Unfinished("more than " + MAX_PAGES + " pages", calls);
        }
        return new Answer.Found(results, unreadable, calls);
    }

}
