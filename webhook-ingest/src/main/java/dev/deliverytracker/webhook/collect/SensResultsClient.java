package dev.deliverytracker.webhook.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.retry.RetryAfter;
import dev.deliverytracker.support.RecipientHash;
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
import java.util.ArrayList;
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
    private final String smsPath;
    private final RecipientHash hash;
    private final Duration timeout;
    private final Clock clock;

    public SensResultsClient(String baseUrl, String serviceId, SensSignature signature, Duration timeout, Clock clock) {
        this(baseUrl, serviceId, null, null, signature, timeout, clock);
    }

    /**
     * @param smsServiceId the SMS project's service id, for plain SMS/LMS ({@code sms:requestId:N}); null: none sent
     * @param hash         the keyed recipient hash, to find a plain SMS's message in its request's list by number
     */
    public SensResultsClient(String baseUrl, String serviceId, String smsServiceId, RecipientHash hash, SensSignature signature,
                             Duration timeout, Clock clock) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.path = "/alimtalk/v2/services/" + serviceId + "/messages";
        this.smsPath = smsServiceId == null || smsServiceId.isBlank() ? null : "/sms/v2/services/" + smsServiceId.trim() + "/messages";
        this.hash = hash;
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
        if (msgKey.startsWith(SMS_KEY_PREFIX)) {
            String rest = msgKey.substring(SMS_KEY_PREFIX.length());
            int colon = rest.indexOf(':');
            if (smsPath == null || hash == null || send.getRecipientHash() == null || colon <= 0 || !rest.substring(colon + 1).matches("[1-9][0-9]{0,2}")) {
                LOG.warn("A SENS SMS send cannot be collected (needs NCP_SENS_SMS_SERVICE_ID, RECIPIENT_HASH_KEY and a recipient hash): {}", msgKey);
                return Optional.empty();
            }
            return Optional.of(new PendingMessage(SMS_KEY_PREFIX + rest.substring(0, colon), rest.substring(colon + 1), send.getRecipientHash(),
                    send.getAcceptedAt().toEpochMilli(), nextAskAt, 0, false));
        }
        int colon = msgKey.indexOf(':');
        if (colon <= 0 || colon == msgKey.length() - 1) {
            LOG.warn("A SENS send whose msgKey is not requestId:messageId cannot be collected: {}", msgKey);
            return Optional.empty();
        }
        return Optional.of(new PendingMessage(msgKey.substring(0, colon), msgKey.substring(colon + 1), "",
                send.getAcceptedAt().toEpochMilli(), nextAskAt, 0, false));
    }

    /** The prefix of a plain SMS/LMS delivery key, {@code sms:requestId:N} (send-service's SensSendAdapter). */
    static final String SMS_KEY_PREFIX = "sms:";

    /**
     * @param budget how long all the pages together may take; each call's timeout is the smaller of the budget left and
     *               the configured request timeout
     */
    @Override
    public CollectedAnswer results(String requestId, List<PendingMessage> pending, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        if (requestId.startsWith(SMS_KEY_PREFIX)) {
            return smsResults(requestId.substring(SMS_KEY_PREFIX.length()), pending, deadline);
        }
        Map<String, CollectedResult> results = new HashMap<>();
        int unreadable = 0;
        String nextToken = null;
        int calls = 0;
        do {
            String query = "?requestId=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8)
                    + (nextToken == null ? "" : "&nextToken=" + URLEncoder.encode(nextToken, StandardCharsets.UTF_8));
            Signed page = get(path + query, deadline, ++calls);
            if (page.answer() instanceof CollectedAnswer.NoRecords && calls > 1) {
                return new CollectedAnswer.Unfinished("page " + calls + " answered 404", calls);
            }
            if (page.answer() != null) {
                return page.answer();
            }
            JsonNode root = page.root();
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

    /**
     * A plain SMS request: its list (SMS v2, {@code GET .../messages?requestId=}) names each {@code messageId} and
     * {@code to}, matched to the pending messages by the keyed hash of the number; each matched one's result is
     * {@code GET .../messages/{messageId}}: {@code status} READY | PROCESSING | COMPLETED, {@code statusCode} "0" delivered.
     */
    private CollectedAnswer smsResults(String requestId, List<PendingMessage> pending, long deadline) {
        Signed list = get(smsPath + "?requestId=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8), deadline, 1);
        if (list.answer() != null) {
            return list.answer();
        }
        Map<String, List<PendingMessage>> byHash = new HashMap<>();
        pending.stream().sorted(java.util.Comparator.comparingInt(m -> Integer.parseInt(m.ref())))
                .forEach(m -> byHash.computeIfAbsent(m.match(), h -> new ArrayList<>()).add(m));
        Map<String, CollectedResult> results = new HashMap<>();
        int calls = 1;
        int unreadable = 0;
        for (JsonNode item : list.root().path("messages")) {
            String to = item.path("to").asText("").replaceAll("[^0-9]", "");
            String messageId = item.path("messageId").asText("");
            List<PendingMessage> candidates = byHash.getOrDefault(hash.of(to), new ArrayList<>());
            if (to.isEmpty() || messageId.isBlank()) {
                unreadable++;
                continue;
            }
            if (candidates.isEmpty()) {
                continue;
            }
            PendingMessage m = candidates.remove(0);
            Signed one = get(smsPath + "/" + URLEncoder.encode(messageId, StandardCharsets.UTF_8), deadline, ++calls);
            if (one.answer() != null) {
                results.put(m.ref(), CollectedResult.stillProcessing()); // asked again next time
                continue;
            }
            JsonNode result = one.root().path("messages").path(0);
            String status = result.path("status").asText("");
            String code = result.path("statusCode").asText("");
            if (!status.equalsIgnoreCase("COMPLETED") || code.isBlank()) {
                results.put(m.ref(), CollectedResult.stillProcessing());
                continue;
            }
            Channel channel = "LMS".equalsIgnoreCase(item.path("type").asText()) ? Channel.LMS : Channel.SMS;
            results.put(m.ref(), CollectedResult.of(channel, code, result.path("statusMessage").asText(result.path("statusName").asText(null)),
                    KoreanTime.parse(result.path("completeTime").asText(null))));
        }
        return new CollectedAnswer.Found(results, unreadable, calls);
    }

    /** A signed GET: its JSON object, or the answer that ends the ask (no records, unavailable, malformed, out of time). */
    private record Signed(JsonNode root, CollectedAnswer answer) {
    }

    /** @param calls the calls made for this ask, this one included, as the ending answer counts them */
    private Signed get(String pathAndQuery, long deadline, int calls) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        if (left.toMillis() < 50) {
            return new Signed(null, new CollectedAnswer.Unfinished("the round's time ran out", calls - 1));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(left.compareTo(timeout) < 0 ? left : timeout)
                .GET().header("Accept", "application/json");
        signature.headers("GET", pathAndQuery, clock.millis()).forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Signed(null, new CollectedAnswer.Unavailable("SENS unreachable: " + e.getClass().getSimpleName(), null, calls));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Signed(null, new CollectedAnswer.Unavailable("interrupted", null, calls));
        }
        int status = response.statusCode();
        if (status == 404) {
            return new Signed(null, new CollectedAnswer.NoRecords(calls));
        }
        if (status == 429 || status >= 500) {
            return new Signed(null, new CollectedAnswer.Unavailable("SENS answered HTTP " + status, RetryAfter.of(response).orElse(null), calls));
        }
        if (status != 200) {
            // 401/403: the keys or the service ids are wrong; nothing will work until an operator acts
            return new Signed(null, new CollectedAnswer.Unavailable("SENS refused the result call with HTTP " + status + " (check NCP_ACCESS_KEY, "
                    + "NCP_SECRET_KEY, the service ids and the clock)", null, calls));
        }
        try {
            JsonNode root = JSON.readTree(response.body());
            return root != null && root.isObject() ? new Signed(root, null) : new Signed(null, new CollectedAnswer.Malformed("not a JSON object", calls));
        } catch (IOException e) {
            return new Signed(null, new CollectedAnswer.Malformed("not JSON", calls));
        }
    }
}
