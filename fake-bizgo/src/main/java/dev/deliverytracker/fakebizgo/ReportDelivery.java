package dev.deliverytracker.fakebizgo;

import dev.deliverytracker.retry.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the fake hands reports back, as a Bizgo API key is set up in the console: by signed webhook or by polling.
 *
 * @param webhookUrl    where to POST each report (WEBHOOK mode); null for POLLING
 * @param webhookSecret the HMAC key for {@code X-IB-Signature} (WEBHOOK mode)
 * @param retries       how many times a report is re-sent when the receiver does not answer 200 {msgKey} (Bizgo: 3)
 * @param retryBackoff  the pause before each re-send
 */
public record ReportDelivery(URI webhookUrl, String webhookSecret, int retries, Duration retryBackoff) {

    public ReportDelivery {
        if (webhookUrl != null) {
            Objects.requireNonNull(webhookSecret, "a webhook needs a secret");
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
    }

    public static ReportDelivery webhook(URI url, String secret) {
        return new ReportDelivery(url, secret, 3, Duration.ofMillis(500));
    }

    public static ReportDelivery polling() {
        return new ReportDelivery(null, null, 0, Duration.ZERO);
    }

    /** Bizgo re-sends at a fixed interval: the same pause before every re-send, no jitter. */
    public Backoff resends() {
        return Backoff.fixed(retries, retryBackoff);
    }

    public boolean isWebhook() {
        return webhookUrl != null;
    }
}
