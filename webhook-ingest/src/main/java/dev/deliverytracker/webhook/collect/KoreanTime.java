package dev.deliverytracker.webhook.collect;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The providers' result times: Korea's local time, {@code yyyy-MM-dd HH:mm:ss} (Aligo; SENS's send answers) or
 * {@code yyyy-MM-ddTHH:mm:ss[.SSS]} (SENS's result API).
 */
final class KoreanTime {

    static final ZoneId KST = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private KoreanTime() {
    }

    /** Null when absent or unreadable. */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String t = text.trim();
            return (t.indexOf('T') > 0 ? LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME) : LocalDateTime.parse(t, SPACED))
                    .atZone(KST).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
