package dev.deliverytracker.webhook.provider.bizgo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.webhook.provider.BoundedJson;
import dev.deliverytracker.webhook.provider.ReportAdapter;
import dev.deliverytracker.webhook.provider.TimestampWindow;
import dev.deliverytracker.webhook.provider.WebhookRejection;
import dev.deliverytracker.webhook.provider.WebhookRequest;
import dev.deliverytracker.webhook.security.HmacSignatures;
import dev.deliverytracker.webhook.security.ReplayGuard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Bizgo's delivery report webhook (icomm-api/bizgo-api-spec: reports-webhooks.md, openapi/webhooks/report.yaml).
 *
 * <ul>
 *   <li>Signature: {@code X-IB-Signature = HMAC-SHA256(key = webhook secret, message = X-IB-Timestamp)}, hex in any
 *       case or base64. Bizgo signs only the timestamp, not the body: the signature proves who sent it, not what;
 *       the source allow-list and HTTPS carry the rest, and a {@link ReplayGuard} refuses the same signature and
 *       msgKey with another body within twice the tolerance.</li>
 *   <li>Timestamp: digits; 13 or more are epoch milliseconds, fewer are seconds; refused outside the tolerance.</li>
 *   <li>Body: one JSON report, read by {@link BizgoReports}; strict UTF-8, bounded nesting and sizes.</li>
 * </ul>
 */
public final class BizgoWebhookAdapter implements ReportAdapter {

    public static final String SIGNATURE_HEADER = "X-IB-Signature";
    public static final String TIMESTAMP_HEADER = "X-IB-Timestamp";

    private final String provider;
    private final List<byte[]> secrets;
    private final TimestampWindow window;
    private final ReplayGuard replays;
    private final Clock clock;

    public BizgoWebhookAdapter(String provider, List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("delivery.webhooks.providers." + provider
                    + ".secrets is empty: set the webhook secret Bizgo gave you (e.g. BIZGO_WEBHOOK_SECRETS); "
                    + "without it no report can be verified");
        }
        this.provider = provider;
        this.secrets = secrets.stream().map(HmacSignatures::utf8).toList();
        this.window = new TimestampWindow(tolerance, clock);
        this.replays = new ReplayGuard(tolerance.multipliedBy(2), 500_000);
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
        window.check(signedAt);
    }

    @Override
    public ProviderReport parse(WebhookRequest request) {
        JsonNode root = BoundedJson.parse(request.body());
        if (!root.isObject()) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body must be one JSON object (one report per request)");
        }
        ProviderReport report = BizgoReports.fromJson(root, provider, ReportSource.WEBHOOK, true,
                request.source().getHostAddress(), request.receivedAt());
        // The signature covers the timestamp only. The same signature and msgKey with another body is a captured
        // report altered (a failure turned into a success, say) and is refused; the same body again is a retry.
        // Keyed by msgKey too, because different reports legitimately share a signed millisecond under load.
        String ts = String.valueOf(request.header(TIMESTAMP_HEADER)).trim();
        if (!replays.firstBodyFor(ts + '\u0000' + report.getMsgKey(), request.body(), clock.instant())) {
            throw new WebhookRejection(WebhookRejection.Reason.REPLAYED_SIGNATURE, "the signature of timestamp "
                    + ts + " was already used for msgKey " + report.getMsgKey()
                    + " with a different body; refused as a possible forgery");
        }
        return report;
    }

}
