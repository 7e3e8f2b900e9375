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
import java.time.Instant;
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
 * messages of one request to the same number are matched in order. A failed AlimTalk whose fail-over SMS was sent
 * ({@code smid} not "0") waits for that SMS's state in Aligo's SMS API ({@code /sms_list/} with {@code key},
 * {@code userid}, {@code mid}=smid; smartsms.aligo.in/smsapi.html): {@code 발송완료} is reported {@value #SMS_DELIVERED},
 * any other final state {@value #SMS_FAILED} with Aligo's text, after the AlimTalk's failure. Never throws for what
 * Aligo answers.
 */
public class AligoResultsClient implements ResultSource {

    public static final String PROVIDER = "aligo";
    /** The report code of a delivered fail-over SMS ({@code sms_state} 발송완료). */
    public static final String SMS_DELIVERED = "SMS_OK";
    /** The report code of a fail-over SMS in any other final state (its text is Aligo's state). */
    public static final String SMS_FAILED = "SMS_FAIL";
    private static final Logger LOG = LoggerFactory.getLogger(AligoResultsClient.class);
    private static final int PAGE = 500;
    private static final int MAX_PAGES = 20;

    private final HttpClient http;
    private final URI detail;
    private final URI smsList;
    private final String apiKey;
    private final String userId;
    private final AligoToken token;
    private final RecipientHash hash;
    private final Duration timeout;

    public AligoResultsClient(String baseUrl, String smsBaseUrl, String apiKey, String userId, RecipientHash hash, Duration timeout) {
        String base = baseUrl.replaceAll("/+$", "");
        this.smsList = URI.create(smsBaseUrl.replaceAll("/+$", "") + "/sms_list/");
        this.apiKey = apiKey;
        this.userId = userId;
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

    /** The prefix of a plain SMS/LMS delivery key, {@code sms:msg_id:N} (send-service's AligoSendAdapter). */
    static final String SMS_KEY_PREFIX = "sms:";

    @Override
    public Optional<PendingMessage> pending(SendEvent send, long nextAskAt) {
        String msgKey = send.getMsgKey();
        String prefix = msgKey.startsWith(SMS_KEY_PREFIX) ? SMS_KEY_PREFIX : "";
        msgKey = msgKey.substring(prefix.length());
        int colon = msgKey.indexOf(':');
        if (colon <= 0 || send.getRecipientHash() == null || !msgKey.substring(colon + 1).matches("[1-9][0-9]{0,2}")) {
            LOG.warn("An Aligo send without a mid:N msgKey or a recipient hash cannot be collected: {}", msgKey);
            return Optional.empty();
        }
        return Optional.of(new PendingMessage(prefix + msgKey.substring(0, colon), msgKey.substring(colon + 1), send.getRecipientHash(),
                send.getAcceptedAt().toEpochMilli(), nextAskAt, 0, false));
    }

    @Override
    public CollectedAnswer results(String mid, List<PendingMessage> messages, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        if (mid.startsWith(SMS_KEY_PREFIX)) {
            return smsResults(mid.substring(SMS_KEY_PREFIX.length()), messages, deadline);
        }
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
        return match(rows, messages, calls, deadline);
    }

    /** Each row given to the first message, in position order, whose recipient hash its number has. */
    private CollectedAnswer match(List<JsonNode> rows, List<PendingMessage> messages, int calls, long deadline) {
        Map<String, List<PendingMessage>> byHash = byHash(messages);
        Map<String, CollectedResult> results = new HashMap<>();
        Map<String, Optional<List<JsonNode>>> smsLists = new HashMap<>(); // one SMS-list call per fail-over request, not per row
        int unreadable = 0;
        for (JsonNode row : rows) {
            String phone = row.path("phone").asText("").replaceAll("[^0-9]", "");
            if (phone.length() < 9) {
                unreadable++;
                continue;
            }
            List<PendingMessage> candidates = candidates(byHash, phone);
            if (candidates.isEmpty()) {
                continue; // a recipient of this request that is not pending here (already settled, or another instance's)
            }
            PendingMessage m = candidates.remove(0);
            String rslt = row.path("rslt").asText("").trim();
            boolean sending = rslt.isEmpty() || row.path("msgid").asText("").startsWith("Q");
            if (sending) {
                results.put(m.ref(), CollectedResult.stillProcessing());
                continue;
            }
            CollectedResult alimtalk = CollectedResult.of(Channel.ALIMTALK, rslt, row.path("rslt_message").asText(null),
                    KoreanTime.parse(row.path("rsltdate").asText(null)));
            String smid = row.path("smid").asText("0").trim();
            if (rslt.equals("0") || smid.isEmpty() || smid.equals("0")) {
                results.put(m.ref(), alimtalk);
                continue;
            }
            // the AlimTalk failed and its fail-over SMS went out: final once the SMS is
            if (!smsLists.containsKey(smid)) {
                smsLists.put(smid, smsRows(smid, deadline));
                calls++;
            }
            Optional<CollectedResult> sms = smsLists.get(smid).flatMap(list -> list.stream()
                    .filter(r -> r.path("receiver").asText("").replaceAll("[^0-9]", "").equals(phone)).findFirst())
                    .flatMap(AligoResultsClient::smsState);
            results.put(m.ref(), sms.map(s -> new CollectedResult(false, alimtalk.channel(), alimtalk.code(), alimtalk.text(),
                    alimtalk.completeTime(), s)).orElse(CollectedResult.stillProcessing()));
        }
        return new CollectedAnswer.Found(results, unreadable, calls);
    }

    /** A plain SMS/LMS request's recipients, from the SMS API's list, matched by the keyed hash of their number. */
    private CollectedAnswer smsResults(String msgId, List<PendingMessage> messages, long deadline) {
        Optional<List<JsonNode>> rows = smsRows(msgId, deadline);
        if (rows.isEmpty()) {
            return new CollectedAnswer.Unfinished("Aligo's SMS list for " + msgId + " could not be read now", 1);
        }
        if (rows.get().isEmpty()) {
            return new CollectedAnswer.NoRecords(1);
        }
        Map<String, List<PendingMessage>> byHash = byHash(messages);
        Map<String, CollectedResult> results = new HashMap<>();
        int unreadable = 0;
        for (JsonNode row : rows.get()) {
            String phone = row.path("receiver").asText("").replaceAll("[^0-9]", "");
            if (phone.length() < 9) {
                unreadable++;
                continue;
            }
            List<PendingMessage> candidates = candidates(byHash, phone);
            if (!candidates.isEmpty()) {
                results.put(candidates.remove(0).ref(), smsState(row).orElse(CollectedResult.stillProcessing()));
            }
        }
        return new CollectedAnswer.Found(results, unreadable, 1);
    }

    private Map<String, List<PendingMessage>> byHash(List<PendingMessage> messages) {
        Map<String, List<PendingMessage>> byHash = new HashMap<>();
        messages.stream().sorted(Comparator.comparingInt(m -> Integer.parseInt(m.ref())))
                .forEach(m -> byHash.computeIfAbsent(m.match(), h -> new ArrayList<>()).add(m));
        return byHash;
    }

    /** The messages still unmatched whose recipient hash {@code phone} has (also as +82, how send-service writes it then). */
    private List<PendingMessage> candidates(Map<String, List<PendingMessage>> byHash, String phone) {
        List<PendingMessage> candidates = byHash.getOrDefault(hash.of(phone), new ArrayList<>());
        if (candidates.isEmpty() && phone.startsWith("0")) {
            candidates = byHash.getOrDefault(hash.of("82" + phone.substring(1)), new ArrayList<>());
        }
        return candidates;
    }

    /** A final SMS state as a result ({@code 발송완료} delivered), or empty while it is still being sent. */
    private static Optional<CollectedResult> smsState(JsonNode row) {
        String state = row.path("sms_state").asText("").trim();
        if (state.isEmpty() || state.contains("대기") || state.contains("전송중")) {
            return Optional.empty();
        }
        Instant at = KoreanTime.parse(row.path("send_date").asText(null));
        return Optional.of(state.equals("발송완료") ? CollectedResult.of(Channel.SMS, SMS_DELIVERED, state, at)
                : CollectedResult.of(Channel.SMS, SMS_FAILED, state, at));
    }

    /** The SMS API's rows for {@code mid}, or empty when they cannot be read now. */
    private Optional<List<JsonNode>> smsRows(String mid, long deadline) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        if (left.toMillis() < 50) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", apiKey);
        fields.put("userid", userId);
        fields.put("mid", mid);
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(smsList).timeout(left.compareTo(timeout) < 0 ? left : timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(AligoToken.encode(fields), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode root = AligoToken.lenient(response.body());
            if (root == null || !"1".equals(root.path("result_code").asText())) {
                LOG.warn("Aligo's SMS list for {} could not be read ({}); asking again later", mid,
                        root == null ? "HTTP " + response.statusCode() : root.path("result_code").asText() + " " + root.path("message").asText());
                return Optional.empty();
            }
            List<JsonNode> rows = new ArrayList<>();
            root.path("list").forEach(rows::add);
            return Optional.of(rows);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
