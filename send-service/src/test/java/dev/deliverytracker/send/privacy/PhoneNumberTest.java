package dev.deliverytracker.send.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneNumberTest {

    @Test
    void normalisesTheWaysPeopleWriteNumbersAndMasksTheMiddle() {
        assertThat(PhoneNumber.parse("010-1234-5678").orElseThrow().digits()).isEqualTo("01012345678");
        assertThat(PhoneNumber.parse(" (010) 1234 5678 ").orElseThrow().digits()).isEqualTo("01012345678");
        assertThat(PhoneNumber.parse("+82 10-1234-5678").orElseThrow().digits()).isEqualTo("821012345678");
        assertThat(PhoneNumber.parse("+82 010-1234-5678").orElseThrow().digits()).isEqualTo("821012345678");
        assertThat(PhoneNumber.parse("010-1234-5678").orElseThrow().masked()).isEqualTo("010-****-5678");
        assertThat(PhoneNumber.parse("011-123-5678").orElseThrow().masked()).isEqualTo("011-****-678");
        assertThat(PhoneNumber.parse("02-123-4567").orElseThrow().masked()).as("never fewer than four hidden").isEqualTo("02-****-567");
        assertThat(PhoneNumber.parse("02-1234-5678").orElseThrow().masked()).isEqualTo("02-****-5678");
        assertThat(PhoneNumber.parse("+821012345678").orElseThrow().masked()).isEqualTo("+82-******-5678");
        assertThat(PhoneNumber.parse("010-1234-5678").orElseThrow()).hasToString("010-****-5678");
    }

    @Test
    void refusesWhatIsNotANumber() {
        assertThat(PhoneNumber.parse(null)).isEmpty();
        assertThat(PhoneNumber.parse("12")).isEmpty();
        assertThat(PhoneNumber.parse("010-abcd-5678")).isEmpty();
        assertThat(PhoneNumber.parse("1".repeat(40))).isEmpty();
    }

    @Test
    void theRecipientHashIsKeyedAndStable() {
        PhoneNumber number = PhoneNumber.parse("010-1234-5678").orElseThrow();
        RecipientHasher a = new RecipientHasher("a-secret-of-sixteen-bytes");
        RecipientHasher b = new RecipientHasher("another-secret-of-16-bytes");
        assertThat(a.hash(number)).isEqualTo(a.hash(PhoneNumber.parse("01012345678").orElseThrow())).hasSize(64);
        assertThat(a.hash(number)).isNotEqualTo(b.hash(number));
        assertThatThrownBy(() -> new RecipientHasher("short")).hasMessageContaining("RECIPIENT_HASH_KEY");
    }
}
