package dev.deliverytracker.send.provider;

import dev.deliverytracker.events.Channel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KoreanCarrierLimitsTest {

    private final KoreanCarrierLimits limits = KoreanCarrierLimits.INSTANCE;

    @Test
    void smsCountsEucKrBytesSoHangulCountsTwice() {
        assertThat(limits.check(Channel.SMS, "a".repeat(90))).isEmpty();
        assertThat(limits.check(Channel.SMS, "a".repeat(91))).contains("SMS text is 91 bytes in EUC-KR after variables; at most 90 (use LMS for longer texts)");
        assertThat(limits.check(Channel.SMS, "가".repeat(45))).isEmpty();
        assertThat(limits.check(Channel.SMS, "가".repeat(46))).hasValueSatisfying(p -> assertThat(p).startsWith("SMS text is 92 bytes"));
    }

    @Test
    void lmsTakes2000BytesAndSaysNothingAboutLms() {
        assertThat(limits.check(Channel.LMS, "가".repeat(1_000))).isEmpty();
        assertThat(limits.check(Channel.LMS, "가".repeat(1_000) + "a"))
                .contains("LMS text is 2001 bytes in EUC-KR after variables; at most 2000");
        assertThat(limits.check(Channel.LMS, "a".repeat(2_000))).isEmpty();
    }

    @Test
    void emojiCannotGoByTextMessageButCanByAlimTalk() {
        assertThat(limits.check(Channel.SMS, "hi 🙂")).contains("SMS text must be EUC-KR encodable (no emoji)");
        assertThat(limits.check(Channel.LMS, "hi 🙂")).contains("LMS text must be EUC-KR encodable (no emoji)");
        assertThat(limits.check(Channel.ALIMTALK, "hi 🙂 안녕하세요")).isEmpty();
    }

    @Test
    void alimTalkCountsCharactersNotBytes() {
        assertThat(limits.check(Channel.ALIMTALK, "가".repeat(1_000))).isEmpty();
        assertThat(limits.check(Channel.ALIMTALK, "가".repeat(1_001))).contains("ALIMTALK text is at most 1000 characters");
    }
}
