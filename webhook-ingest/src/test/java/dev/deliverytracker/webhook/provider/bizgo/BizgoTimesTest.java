package dev.deliverytracker.webhook.provider.bizgo;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written fast path agrees with the formatter that defines Bizgo's format, on valid and invalid input. */
class BizgoTimesTest {

    private static Instant byFormatter(String text) {
        try {
            return OffsetDateTime.parse(text, BizgoTimes.FORMAT).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void theDocumentedShapesParse() {
        assertThat(BizgoTimes.parse("2026-11-22T12:00:01.123+09:00")).isEqualTo(Instant.parse("2026-11-22T03:00:01.123Z"));
        assertThat(BizgoTimes.parse("2026-11-22T12:00:01+09:00")).isEqualTo(Instant.parse("2026-11-22T03:00:01Z"));
        assertThat(BizgoTimes.parse("2026-11-22T03:00:01Z")).isEqualTo(Instant.parse("2026-11-22T03:00:01Z"));
        assertThat(BizgoTimes.parse(" 2026-11-22T12:00:01-02:30 ")).isEqualTo(Instant.parse("2026-11-22T14:30:01Z"));
        assertThat(BizgoTimes.parse(null)).isNull();
        assertThat(BizgoTimes.parse(" ")).isNull();
    }

    @Test
    void theFastPathAgreesWithTheFormatterOnRandomAndBrokenInput() {
        Random random = new Random(42);
        DateTimeFormatter[] layouts = {
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX"), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SXXX")};
        for (int i = 0; i < 20_000; i++) {
            OffsetDateTime time = OffsetDateTime.ofInstant(Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)),
                    ZoneOffset.ofTotalSeconds((random.nextInt(49) - 24) * 1800)); // -12:00 to +12:00 in half hours
            String text = time.format(layouts[random.nextInt(layouts.length)]);
            assertThat(BizgoTimes.parse(text)).as(text).isEqualTo(byFormatter(text)).isNotNull();
        }
        for (String broken : List.of("2026-11-22T12:00:01", "2026-11-22 12:00:01+09:00", "2026-13-22T12:00:01+09:00",
                "2026-02-30T12:00:01+09:00", "2026-11-22T24:00:01+09:00", "2026-11-22T12:00:01.+09:00",
                "2026-11-22T12:00:01.1234567890+09:00", "2026-11-22T12:00:01+0900", "2026-11-22T12:00:01+19:00",
                "2026-11-22T12:00:01+09:00x", "2026-1a-22T12:00:01+09:00", "２026-11-22T12:00:01+09:00")) {
            assertThat(BizgoTimes.parse(broken)).as(broken).isEqualTo(byFormatter(broken.trim()));
        }
    }
}
