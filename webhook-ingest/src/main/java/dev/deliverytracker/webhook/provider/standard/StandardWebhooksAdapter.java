package dev.deliverytracker.webhook.provider.standard;

import dev.deliverytracker.support.PhoneRedactor;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.webhook.provider.BoundedJson;
import dev.deliverytracker.webhook.provider.ReportAdapter;
import dev.deliverytracker.webhook.provider.TimestampWindow;
import dev.deliverytracker.webhook.provider.WebhookRejection;
import dev.deliverytracker.webhook.provider.WebhookRequest;
import dev.deliverytracker.webhook.security.HmacSignatures;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A receiver for senders that follow the Standard Webhooks specification (standardwebhooks.com): in-house services
 * and providers that sign that way.
 * <ul>
 *   <li>{@code webhook-id}, {@code webhook-timestamp} (seconds) and {@code webhook-signature}: a space-separated list
 *       of {@code v1,<base64 HMAC-SHA256>} over {@code id.timestamp.body}; any one valid signature is enough.</li>
 *   <li>Secrets are {@code whsec_<base64 key>}; several may be configured for rotation.</li>
 *   <li>The timestamp must be within the tolerance (default 5 minutes).</li>
 *   <li>The report's fields come from the body through a {@link FieldMapping}.</li>
 * </ul>
 */
public final class StandardWebhooksAdapter implements ReportAdapter {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";
    private static final String SECRET_PREFIX = "whsec_";

    private final String provider;
    private final List<byte[]> keys;
    private final TimestampWindow window;
    private final FieldMapping mapping;

    public StandardWebhooksAdapter(String provider, List<String> secrets, Duration tolerance, FieldMapping mapping, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("delivery.webhooks.providers." + provider + ".secrets is empty: set the sender's whsec_ secret");
        }
        List<byte[]> decoded = new ArrayList<>();
        for (String secret : secrets) {
            String base64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
            try {
                decoded.add(Base64.getDecoder().decode(base64.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("delivery.webhooks.providers." + provider
                        + ".secrets: a Standard Webhooks secret is whsec_ followed by base64", e);
            }
        }
        this.provider = provider;
        this.keys = List.copyOf(decoded);
        this.window = new TimestampWindow(tolerance, clock);
        this.mapping = mapping;
    }

    @Override
    public void verify(WebhookRequest request) {
        String id = request.header(ID_HEADER);
        String timestamp = request.header(TIMESTAMP_HEADER);
        String signatures = request.header(SIGNATURE_HEADER);
        if (id == null || timestamp == null || signatures == null) {
            throw new WebhookRejection(WebhookRejection.Reason.BAD_SIGNATURE, "missing webhook-id, webhook-timestamp or webhook-signature");
        }
        String ts = timestamp.trim();
        if (ts.isEmpty() || ts.length() > 12 || !ts.chars().allMatch(Character::isDigit)) {
            throw new WebhookRejection(WebhookRejection.Reason.BAD_SIGNATURE, "webhook-timestamp is not a number of seconds");
        }
        byte[] signed = signedContent(id, ts, request.body());
        boolean valid = false;
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma > 0 && "v1".equals(entry.substring(0, comma))) {
                valid |= HmacSignatures.matchesAny(keys, signed, entry.substring(comma + 1));
            }
        }
        if (!valid) {
            throw new WebhookRejection(WebhookRejection.Reason.BAD_SIGNATURE, "no v1 signature matches any configured secret");
        }
        window.check(Instant.ofEpochSecond(Long.parseLong(ts)));
    }

    @Override
    public ProviderReport parse(WebhookRequest request) {
        JsonNode root = BoundedJson.parse(request.body());
        String msgKey = BoundedJson.text(root.at(mapping.msgKey()), "msg-key");
        if (msgKey == null || msgKey.isBlank() || msgKey.length() > 128) {
            throw new WebhookRejection(WebhookRejection.Reason.MISSING_FIELD, "msg-key (" + mapping.msgKey() + ") is missing, empty or too long");
        }
        String code = BoundedJson.text(FieldMapping.at(root, mapping.code()), "code");
        JsonNode delivered = FieldMapping.at(root, mapping.delivered());
        if (mapping.delivered().isPresent()) {
            if (delivered == null || !delivered.isBoolean()) {
                throw new WebhookRejection(WebhookRejection.Reason.MISSING_FIELD, "delivered (" + mapping.delivered().get() + ") must be true or false");
            }
            code = delivered.booleanValue() ? DELIVERED : (code == null || code.isBlank() ? FAILED : code);
        }
        if (code == null || code.isBlank()) {
            throw new WebhookRejection(WebhookRejection.Reason.MISSING_FIELD, "code (" + mapping.code().orElseThrow() + ") is missing or empty");
        }
        return ProviderReport.newBuilder()
                .setEventId(request.header(ID_HEADER) == null ? UUID.randomUUID().toString() : request.header(ID_HEADER))
                .setMsgKey(msgKey.trim())
                .setProvider(provider)
                .setChannel(channel(BoundedJson.text(FieldMapping.at(root, mapping.channel()), "channel")))
                .setReportCode(code.trim())
                .setReportText(PhoneRedactor.redact(BoundedJson.text(FieldMapping.at(root, mapping.text()), "text")))
                .setReceivedAt(request.receivedAt())
                .setSource(ReportSource.WEBHOOK)
                .setSignatureVerified(true)
                .setSourceAddress(request.source().getHostAddress())
                .build();
    }

    static byte[] signedContent(String id, String timestamp, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        out.writeBytes((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static Channel channel(String value) {
        if (value == null) {
            return Channel.UNKNOWN;
        }
        try {
            return Channel.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Channel.UNKNOWN;
        }
    }
}
