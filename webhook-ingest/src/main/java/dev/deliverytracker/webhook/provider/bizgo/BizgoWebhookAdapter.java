package dev.deliverytracker.webhook.provider.bizgo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.webhook.provider.ReportAdapter;
import dev.deliverytracker.webhook.provider.WebhookRejection;
import dev.deliverytracker.webhook.provider.WebhookRequest;
import dev.deliverytracker.webhook.security.HmacSignatures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Bizgo's delivery report webhook (icomm-api/bizgo-api-spec: reports-webhooks.md, openapi/webhooks/report.yaml).
 *
 * <ul>
 *   <li>Signature: {@code X-IB-Signature = HMAC-SHA256(key = webhook secret, message = X-IB-Timestamp)}, hex in any
 *       case or base64. Bizgo signs only the timestamp, not the body: the signature proves who sent it, not what;
 *       the source allow-list and HTTPS carry the rest.</li>
 *   <li>Timestamp: digits; 13 or more are epoch milliseconds, fewer are seconds; refused outside the tolerance.</li>
 *   <li>Body: one JSON report, every field a string: {@code msgKey, serviceType, msgType, sendTime, reportTime,
 *       reportType, reportCode, reportText (or resultMsg, the seed's name), carrier, ref}. Unknown fields are
 *       ignored. Times are {@code yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX}; one that does not parse is left out rather than
 *       losing the report.</li>
 * </ul>
 */
public final class BizgoWebhookAdapter implements ReportAdapter {

    public static final String SIGNATURE_HEADER = "X-IB-Signature";
    public static final String TIMESTAMP_HEADER = "X-IB-Timestamp";
    private static final int MAX_KEY_LENGTH = 128;
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendPattern("XXX")
            .toFormatter(Locale.ROOT);

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32).maxNumberLength(64).maxStringLength(16 * 1024).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String provider;
    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public BizgoWebhookAdapter(String provider, List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("delivery.webhooks.providers." + provider
                    + ".secrets is empty: set the webhook secret Bizgo gave you (e.g. BIZGO_WEBHOOK_SECRETS); "
                    + "without it no report can be verified");
        }
        this.provider = provider;
        this.secrets = secrets.stream().map(HmacSignatures::utf8).toList();
        this.tolerance = tolerance;
        this.clock = clock;
    }

    @Override
    public void verify(WebhookRequest request) {
        String timestamp = request.header(TIMESTAMP_HEADER);
        String signature = request.header(SIGNATURE_HEADER);
        if (timestamp == null || signature == null) {
            throw new WebhookRejection(WebhookRejection.Reason.BAD_SIGNATURE,
                    "missing " + (timestamp == null ? TIMESTAMP_HEADER : SIGNATURE_HEADER) + " header");
        }
        String ts = timestamp.trim();
        if (ts.isEmpty() || ts.length() > 16 || !ts.chars().allMatch(Character::isDigit)) {
            throw new WebhookRejection(WebhookRejection.Reason.BAD_SIGNATURE, TIMESTAMP_HEADER + " is not a number of (milli)seconds");
        }
        if (!HmacSignatures.matchesAny(secrets, HmacSignatures.utf8(ts), signature)) {
            throw new WebhookRejection(WebhookRejection.Reason.BAD_SIGNATURE, "signature does not match any configured secret");
        }
        long value = Long.parseLong(ts);
        Instant signedAt = ts.length() >= 13 ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        Duration skew = Duration.between(signedAt, clock.instant()).abs();
        if (skew.compareTo(tolerance) > 0) {
            throw new WebhookRejection(WebhookRejection.Reason.STALE_TIMESTAMP,
                    "timestamp is " + skew.toSeconds() + " s from now; tolerance is " + tolerance.toSeconds() + " s");
        }
    }

    @Override
    public ProviderReport parse(WebhookRequest request) {
        JsonNode root;
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(request.body())).toString();
            root = JSON.readTree(text);
        } catch (CharacterCodingException e) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body is not valid UTF-8");
        } catch (JsonProcessingException e) {
            // the parser's own message quotes the body, which carries phone numbers: say only where it broke
            JsonLocation at = e.getLocation();
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException | RuntimeException e) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body must be one JSON object (one report per request)");
        }
        String msgKey = required(root, "msgKey");
        if (msgKey.length() > MAX_KEY_LENGTH) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "msgKey is longer than " + MAX_KEY_LENGTH + " characters");
        }
        String reportCode = required(root, "reportCode");
        String serviceType = optional(root, "serviceType");
        String msgType = optional(root, "msgType");
        String text = optional(root, "reportText");
        if (text == null) {
            text = optional(root, "resultMsg");
        }
        return ProviderReport.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setMsgKey(msgKey)
                .setProvider(provider)
                .setChannel(channel(serviceType, msgType))
                .setServiceType(serviceType)
                .setMsgType(msgType)
                .setReportType(optional(root, "reportType"))
                .setReportCode(reportCode)
                .setReportText(text)
                .setCarrier(optional(root, "carrier"))
                .setRef(optional(root, "ref"))
                .setSendTime(time(optional(root, "sendTime")))
                .setReportTime(time(optional(root, "reportTime")))
                .setReceivedAt(request.receivedAt())
                .setSource(ReportSource.WEBHOOK)
                .setSignatureVerified(true)
                .setSourceAddress(request.source().getHostAddress())
                .build();
    }

    /** serviceType (ALIMTALK, SMS, LMS, MMS, RCS, BRANDMESSAGE, ...) first, then msgType (AT, FT, SM, LM, MM, RS). */
    static Channel channel(String serviceType, String msgType) {
        if (serviceType != null) {
            switch (serviceType.trim().toUpperCase(Locale.ROOT)) {
                case "ALIMTALK", "AT" -> { return Channel.ALIMTALK; }
                case "FRIENDTALK", "FT" -> { return Channel.FRIENDTALK; }
                case "BRANDMESSAGE", "BM" -> { return Channel.BRANDMESSAGE; }
                case "SMS" -> { return Channel.SMS; }
                case "LMS" -> { return Channel.LMS; }
                case "MMS" -> { return Channel.MMS; }
                case "RCS" -> { return Channel.RCS; }
                default -> { }
            }
        }
        if (msgType != null) {
            switch (msgType.trim().toUpperCase(Locale.ROOT)) {
                case "AT", "AI" -> { return Channel.ALIMTALK; }
                case "FT", "FI", "FW" -> { return Channel.FRIENDTALK; }
                case "SM" -> { return Channel.SMS; }
                case "LM" -> { return Channel.LMS; }
                case "MM" -> { return Channel.MMS; }
                case "RS", "RL", "RM", "RT", "RI" -> { return Channel.RCS; }
                default -> { }
            }
        }
        return Channel.UNKNOWN;
    }

    private static String required(JsonNode root, String field) {
        String value = optional(root, field);
        if (value == null || value.isBlank()) {
            throw new WebhookRejection(WebhookRejection.Reason.MISSING_FIELD, "required field '" + field + "' is missing or empty");
        }
        return value.trim();
    }

    /** A string field; numbers are taken as their text (a sender may write 10000 for "10000"); other types are refused. */
    private static String optional(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "field '" + field + "' must be a string, not " + node.getNodeType());
    }

    private static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim(), TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
