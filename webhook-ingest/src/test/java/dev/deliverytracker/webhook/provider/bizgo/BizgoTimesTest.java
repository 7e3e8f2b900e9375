package dev.deliverytracker.webhook.provider.bizgo;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BizgoTimesTest {

    @Test
    void theDocumentedShapesParse() {
        assertThat(BizgoTimes.parse("2026-11-22T12:00:01.123+09:00")).isEqualTo(Instant.parse("2026-11-22T03:00:01.123Z"));
        assertThat(BizgoTimes.parse("2026-11-22T12:00:01+09:00")).isEqualTo(Instant.parse("2026-11-22T03:00:01Z"));
        assertThat(BizgoTimes.parse("2026-11-22T03:00:01Z")).isEqualTo(Instant.parse("2026-11-22T03:00:01Z"));
        assertThat(BizgoTimes.parse(" 2026-11-22T12:00:01-02:30 ")).isEqualTo(Instant.parse("2026-11-22T14:30:01Z"));
        assertThat(BizgoTimes.parse("2026-11-22T12:00:01.123456789+09:00")).isEqualTo(Instant.parse("2026-11-22T03:00:01.123456789Z"));
        assertThat(BizgoTimes.parse(null)).isNull();
        assertThat(BizgoTimes.parse(" ")).isNull();
    }

    @Test
    void anythingElseIsNoTime() {
        for (String broken : List.of("2026-11-22T12:00:01", "2026-11-22 12:00:01+09:00", "2026-13-22T12:00:01+09:00",
                "2026-02-30T12:00:01+09:00", "2026-11-22T24:00:01+09:00", "2026-11-22T12:00:01.+09:00",
                "2026-11-22T12:00:01.1234567890+09:00", "2026-11-22T12:00:01+0900", "2026-11-22T12:00:01+19:00",
                "2026-11-22T12:00:01+09:00x", "2026-1a-22T12:00:01+09:00", "1732244401")) {
            assertThat(BizgoTimes.parse(broken)).as(broken).isNull();
        }
    }
}
