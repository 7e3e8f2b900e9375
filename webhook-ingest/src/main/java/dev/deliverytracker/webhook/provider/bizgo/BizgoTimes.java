package dev.deliverytracker.webhook.provider.bizgo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * Bizgo's report times: {@code yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX} (webhooks with milliseconds, polling without; the
 * offset is required). Parsed by {@link DateTimeFormatter} alone: a hand-written parser for this layout was tried
 * and removed, because it did not change the stored reports/s, which the Kafka round trip bounds
 * (docs/benchmarks.md, section 3).
 */
final class BizgoTimes {

    static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendPattern("XXX")
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT); // 30 February is no time, not 28 February

    private BizgoTimes() {
    }

    /** The instant, or null when {@code value} is absent or not such a time. */
    static Instant parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim(), FORMAT).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
