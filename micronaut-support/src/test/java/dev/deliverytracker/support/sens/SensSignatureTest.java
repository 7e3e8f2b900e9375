package dev.deliverytracker.support.sens;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensSignatureTest {

    /**
     * The expected value was computed outside Java, from NCP's description of the string to sign:
     * {@code printf 'POST /alimtalk/v2/services/ncp:kkobizmsg:kr:123:svc/messages\n1700000000000\nAKEXAMPLE'
     * | openssl dgst -sha256 -hmac SECRETEXAMPLE -binary | base64}.
     */
    @Test
    void signsMethodPathTimestampAndAccessKeyAsNcpDescribes() {
        SensSignature signature = new SensSignature("AKEXAMPLE", "SECRETEXAMPLE");
        assertThat(signature.headers("POST", "/alimtalk/v2/services/ncp:kkobizmsg:kr:123:svc/messages", 1_700_000_000_000L))
                .containsEntry(SensSignature.TIMESTAMP, "1700000000000")
                .containsEntry(SensSignature.ACCESS_KEY, "AKEXAMPLE")
                .containsEntry(SensSignature.SIGNATURE, "BquZGi4m84+WwbrokA4fa1NKvLvR0HXFliyk2Qh7Cpo=");
        assertThat(signature.headers("GET", "/alimtalk/v2/services/ncp:kkobizmsg:kr:123:svc/messages", 1_700_000_000_000L)
                .get(SensSignature.SIGNATURE)).as("the method is signed").isNotEqualTo("BquZGi4m84+WwbrokA4fa1NKvLvR0HXFliyk2Qh7Cpo=");
    }

    @Test
    void refusesMissingKeysNamingTheVariables() {
        assertThatThrownBy(() -> new SensSignature("AK", " ")).hasMessageContaining("NCP_SECRET_KEY");
    }
}
