package dev.deliverytracker.webhook.ingest;

import dev.deliverytracker.support.PhoneRedactor;
import dev.deliverytracker.webhook.provider.WebhookRejection;


/**
 * A verified report that could not be read (malformed, or a required field missing), kept with its raw bytes so
 * nothing a provider sent is lost: an operator can read it on the dead-records topic and replay it.
 *
 * @param provider  the provider whose route or poller it came through
 * @param source    where it came from, for a person ("webhook from 211.115.98.154", "poll batch r-17")
 * @param raw       the report as received, with phone numbers masked ({@code PhoneRedactor})
 * @param rejection why it was refused
 */
public record RefusedReport(String provider, String source, byte[] raw, WebhookRejection rejection) {

    public RefusedReport {
        raw = masked(raw);
    }

    /** Phone numbers masked as in events ({@code 010-****-5678}); every other byte kept as it was. */
    static byte[] masked(byte[] raw) {
        return PhoneRedactor.redact(raw);
    }
}
