package dev.deliverytracker.webhook.provider;

import dev.deliverytracker.events.ProviderReport;

/**
 * The seam for providers: turns one verified webhook call into a report event, or refuses it with a
 * {@link WebhookRejection}. Adding a provider is one implementation plus its entry in {@link ReportAdapters} and
 * its configuration under {@code delivery.webhooks.providers.<name>}.
 */
public interface ReportAdapter {

    /** Checks the signature and timestamp; throws BAD_SIGNATURE or STALE_TIMESTAMP. Runs before the body is parsed. */
    void verify(WebhookRequest request);

    /** Parses the body into a report; throws MALFORMED or MISSING_FIELD. */
    ProviderReport parse(WebhookRequest request);
}
