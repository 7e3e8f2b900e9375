package dev.deliverytracker.webhook.collect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.support.RecipientHash;
import dev.deliverytracker.support.aligo.AligoToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Aligo's AlimTalk history for one request: {@code POST /akv10/history/detail/} with {@code mid}, {@code page} and
 * {@code limit} (smartsms.aligo.in/alimapi.html), answered per recipient with {@code phone}, {@code msgid} (prefixed
 * {@code Q} while still sending), {@code rslt} ({@code 0} delivered, empty while sending, otherwise Kakao's report
 * letter), {@code rslt_message} and {@code rsltdate}. A message's group is its Aligo request ({@code mid}); Aligo gives
 * no per-recipient id at send time, so the delivery key is {@code mid:N} and a row is matched to a message by the
 * keyed hash of its number ({@code recipientHash} in the send event, {@link RecipientHash}): no number is kept. Two
 * messages of one request to the same number are matched in order. Never throws for what Aligo answers.
 */
public class AligoResultsClient implements ResultSource {

    public static final String PROVIDER = "aligo";
    private static final Logger LOG = LoggerFactory.getLogger(AligoResultsClient.class);
    private static final int PAGE = 500;
    private static final int MAX_PAGES = 20;

    private final HttpClient http;
    private final URI detail;
    private final AligoToken token;
    private final RecipientHash hash;
    private final Duration timeout;

    public AligoResultsClient(String baseUrl, String apiKey, String userId, RecipientHash hash, Duration timeout) {
        String base = baseUrl.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.detail = URI.create(base + "/akv10/history/detail/");
        this.token = new AligoToken(http, base, apiKey, userId, Duration.ofHours(1), timeout);
        this.hash = hash;
        this.timeout = timeout;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Optional<PendingMessage> pending(SendEvent send, long nextAskAt) {
        String msgKey = send.getMsgKey();
        int colon = msgKey.indexOf(':');
        if (colon <= 0 || send.getRecipientHash() == null || !msgKey.substring(colon + 1).matches("[1-9][0-9]{0,2}")) {
            LOG.warn("An Aligo send without a mid:N msgKey or a recipient hash cannot be collected: {}", msgKey);
            return Optional.empty();
        }
        return Optional.of(new PendingMessage(msgKey.substring(0, colon), msgKey.substring(colon + 1), send.getRecipientHash(),
                send.getAcceptedAt().toEpochMilli(), nextAskAt, 0, false));
    }

    @Override
    public CollectedAnswer results(String mid, List<PendingMessage> messages, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<JsonNode> rows = new ArrayList<>();
        int calls = 0;
        int pages = 1;
        for (int page = 1; page <= pages; page++) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.toMillis() < 50 || page > MAX_PAGES) {
                return new CollectedAnswer.Unfinished("read " + (page - 1) + " of " + pages + " pages", calls);
            }
            JsonNode root;
            try {
                Map<String, String> fields = new LinkedHashMap<>(token.credentials());
                fields.put("mid", mid);
                fields.put("page", String.valueOf(page));
                fields.put("limit", String.valueOf(PAGE));
                calls++;
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(detail).timeout(left.compareTo(timeout) < 0 ? left : timeout)
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(AligoToken.encode(fields), StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() == 429 || response.statusCode() >= 500) {
                    return new CollectedAnswer.Unavailable("Aligo answered HTTP " + response.statusCode(), null, calls);
                }
                root = AligoToken.lenient(response.body());
            } catch (AligoToken.Refused e) {
                return new CollectedAnswer.Unavailable(e.getMessage(), null, calls);
            } catch (IOException e) {
                return new CollectedAnswer.Unavailable("Aligo unreachable: " + e.getClass().getSimpleName(), null, calls);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new CollectedAnswer.Unavailable("interrupted", null, calls);
            }
            if (root == null) {
                return new CollectedAnswer.Malformed("not a JSON object", calls);
            }
            String code = root.path("code").asText("");
            if (code.equals("-101")) {
                token.invalidate(); // an expired token: a new one next time
                return new CollectedAnswer.Unavailable("Aligo refused the token (-101 " + root.path("message").asText() + ")", null, calls);
            }
            if (!code.equals("0") || !root.path("list").isArray()) {
                return new CollectedAnswer.Malformed("code " + code + " " + root.path("message").asText(""), calls);
            }
            root.path("list").forEach(rows::add);
            pages = Math.max(1, root.path("totalPage").asInt(1));
        }
        if (rows.isEmpty()) {
            return new CollectedAnswer.NoRecords(calls);
        }
        return match(rows, messages, calls);
    }

    /** Each row given to the first message, in position order, whose recipient hash its number has. */
    private CollectedAnswer match(List<JsonNode> rows, List<PendingMessage> messages, int calls) {
        Map<String, List<PendingMessage>> byHash = new HashMap<>();
        messages.stream().sorted(Comparator.comparingInt(m -> Integer.parseInt(m.ref())))
                .forEach(m -> byHash.computeIfAbsent(m.match(), h -> new ArrayList<>()).add(m));
        Map<String, CollectedResult> results = new HashMap<>();
        int unreadable = 0;
        for (JsonNode row : rows) {
            String phone = row.path("phone").asText("").replaceAll("[^0-9]", "");
            if (phone.length() < 9) {
                unreadable++;
                continue;
            }
            List<PendingMessage> candidates = byHash.getOrDefault(hash.of(phone), List.of());
            if (candidates.isEmpty() && phone.startsWith("0")) {
                candidates = byHash.getOrDefault(hash.of("82" + phone.substring(1)), List.of()); // sent as +82...
            }
            if (candidates.isEmpty()) {
                continue; // a recipient of this request that is not pending here (already settled, or another instance's)
            }
            PendingMessage m = candidates.remove(0);
            String rslt = row.path("rslt").asText("").trim();
            boolean sending = rslt.isEmpty() || row.path("msgid").asText("").startsWith("Q");
            results.put(m.ref(), sending ? CollectedResult.stillProcessing() : new CollectedResult(false, Channel.ALIMTALK, rslt,
                    row.path("rslt_message").asText(null), KoreanTime.parse(row.path("rsltdate").asText(null))));
        }
        return new CollectedAnswer.Found(results, unreadable, calls);
    }
}
