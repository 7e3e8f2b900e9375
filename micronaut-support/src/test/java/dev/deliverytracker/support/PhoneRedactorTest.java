package dev.deliverytracker.support;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Phone numbers inside provider texts and raw reports are masked, with at least four digits hidden. */
class PhoneRedactorTest {

    @Test
    void masksEveryWayANumberIsWrittenInsideText() {
        assertThat(PhoneRedactor.redact("수신번호 01012345678 오류")).isEqualTo("수신번호 010-****-5678 오류");
        assertThat(PhoneRedactor.redact("to 010-1234-5678, cc 010.9876.5432")).isEqualTo("to 010-****-5678, cc 010-****-5432");
        assertThat(PhoneRedactor.redact("Seoul 02-123-4567")).isEqualTo("Seoul 02-****-567");
        assertThat(PhoneRedactor.redact("Seoul 021234567")).isEqualTo("Seoul 02-****-567");
        assertThat(PhoneRedactor.redact("Busan 051-234-5678")).isEqualTo("Busan 051-****-678");
        assertThat(PhoneRedactor.redact("old mobile 011-123-5678")).isEqualTo("old mobile 011-****-678");
        assertThat(PhoneRedactor.redact("+82 10-1234-5678 failed")).isEqualTo("+82-10-****-5678 failed");
    }

    @Test
    void leavesWhatIsNotANumberAlone() {
        assertThat(PhoneRedactor.redact("code 64008, request 20261202123456789")).isEqualTo("code 64008, request 20261202123456789");
        assertThat(PhoneRedactor.redact("템플릿 검수 미완료")).isEqualTo("템플릿 검수 미완료");
        assertThat(PhoneRedactor.redact("id 212345678 and 1012345678")).isEqualTo("id 212345678 and 1012345678");
        assertThat(PhoneRedactor.redact((String) null)).isNull();
    }

    @Test
    void rawBytesKeepTheirEncodingAroundAMaskedNumber() {
        byte[] raw = "{\"text\":\"수신거부 01012345678\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(PhoneRedactor.redact(raw), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"수신거부 010-****-5678\"}");
    }
}
