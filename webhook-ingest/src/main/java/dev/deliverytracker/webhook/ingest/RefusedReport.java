package dev.deliverytracker.webhook.ingest;

import dev.deliverytracker.webhook.provider.WebhookRejection;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A verified report that could not be read (malformed, or a required field missing), kept with its raw bytes so
 * nothing a provider sent is lost: an operator can read it on the dead-records topic and replay it.
 *
 * @param provider  the provider whose route or poller it came through
 * @param source    where it came from, for a person ("webhook from 211.115.98.154", "poll batch r-17")
 * @param raw       the report as received, with Korean mobile numbers masked
 * @param rejection why it was refused
 */
public record RefusedReport(String provider, String source, byte[] raw, WebhookRejection rejection) {

    private static final Pattern MOBILE = Pattern.compile("(?<!\\d)(01[016789])[-. ]?(\\d{3,4})[-. ]?(\\d{4})(?!\\d)");

    public RefusedReport {
        raw = masked(raw);
    }

    /** Phone numbers masked as in events ({@code 010-****-5678}); every other byte kept as it was. */
    static byte[] masked(byte[] raw) {
        String latin1 = new String(raw, StandardCharsets.ISO_8859_1); // one char per byte: non-ASCII bytes survive
        return MOBILE.matcher(latin1).replaceAll("$1-****-$3").getBytes(StandardCharsets.ISO_8859_1);
    }
}
