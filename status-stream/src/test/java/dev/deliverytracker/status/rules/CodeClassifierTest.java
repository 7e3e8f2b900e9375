package dev.deliverytracker.status.rules;

import dev.deliverytracker.events.Classification;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeClassifierTest {

    @Test
    void shipsBizgosDocumentedCodes() {
        CodeClassifier classifier = CodeClassifier.defaults();
        assertThat(classifier.classify("bizgo", "10000")).isEqualTo(Classification.DELIVERED);
        assertThat(classifier.classify("BIZGO", " 64008 ")).isEqualTo(Classification.ACCOUNT_FAILURE);
        assertThat(classifier.classify("bizgo", "64016")).isEqualTo(Classification.PERMANENT_FAILURE);
        assertThat(classifier.classify("bizgo", "63019")).isEqualTo(Classification.PERMANENT_FAILURE);
        assertThat(classifier.classify("bizgo", "63005")).isEqualTo(Classification.UNCERTAIN);
        assertThat(classifier.classify("bizgo", "6ME09")).isEqualTo(Classification.UNCERTAIN);
        assertThat(classifier.classify("bizgo", "22000")).isEqualTo(Classification.TIMEOUT);
    }

    @Test
    void shipsNcpSensResultCodes() {
        CodeClassifier classifier = CodeClassifier.defaults();
        assertThat(classifier.classify("ncp-sens", "0000")).isEqualTo(Classification.DELIVERED);
        assertThat(classifier.classify("ncp-sens", "3015")).as("template not found").isEqualTo(Classification.ACCOUNT_FAILURE);
        assertThat(classifier.classify("ncp-sens", "3016")).as("text not the template's").isEqualTo(Classification.ACCOUNT_FAILURE);
        assertThat(classifier.classify("ncp-sens", "1007")).as("sender profile blocked").isEqualTo(Classification.ACCOUNT_FAILURE);
        assertThat(classifier.classify("ncp-sens", "3018")).isEqualTo(Classification.PERMANENT_FAILURE);
        assertThat(classifier.classify("ncp-sens", "3008")).isEqualTo(Classification.PERMANENT_FAILURE);
        assertThat(classifier.classify("ncp-sens", "3022")).isEqualTo(Classification.RETRYABLE);
        assertThat(classifier.classify("ncp-sens", "3005")).isEqualTo(Classification.UNCERTAIN);
        assertThat(classifier.classify("ncp-sens", "10000")).as("Bizgo's success is not SENS's").isEqualTo(Classification.UNKNOWN);
        assertThat(classifier.classify("ncp-sens", "0")).as("SMS v2's success").isEqualTo(Classification.DELIVERED);
        assertThat(classifier.classify("ncp-sens", "3")).as("any other SMS status code").isEqualTo(Classification.UNKNOWN);
    }

    @Test
    void shipsAligoResultLetters() {
        CodeClassifier classifier = CodeClassifier.defaults();
        assertThat(classifier.classify("aligo", "0")).isEqualTo(Classification.DELIVERED);
        assertThat(classifier.classify("aligo", "M")).as("template not found").isEqualTo(Classification.ACCOUNT_FAILURE);
        assertThat(classifier.classify("aligo", "U")).isEqualTo(Classification.ACCOUNT_FAILURE);
        assertThat(classifier.classify("aligo", "A")).isEqualTo(Classification.PERMANENT_FAILURE);
        assertThat(classifier.classify("aligo", "5")).isEqualTo(Classification.UNCERTAIN);
        assertThat(classifier.classify("bizgo", "0")).as("Aligo's success is not Bizgo's").isEqualTo(Classification.UNKNOWN);
    }

    @Test
    void unknownCodesAndProvidersAreNeverASuccess() {
        CodeClassifier classifier = CodeClassifier.defaults();
        assertThat(classifier.classify("bizgo", "nope")).isEqualTo(Classification.UNKNOWN);
        assertThat(classifier.classify("aligo", "10000")).isEqualTo(Classification.UNKNOWN);
        assertThat(classifier.classify("aligo", "Z")).isEqualTo(Classification.UNKNOWN);
        assertThat(classifier.classify(null, "10000")).isEqualTo(Classification.UNKNOWN);
    }

    @Test
    void commonCodesApplyToEveryProviderAfterItsOwnTable() {
        CodeClassifier classifier = CodeClassifier.withDefaults(Map.of("inhouse", Map.of("E42", Classification.RETRYABLE)));
        assertThat(classifier.classify("inhouse", "DELIVERED")).isEqualTo(Classification.DELIVERED);
        assertThat(classifier.classify("inhouse", "FAILED")).isEqualTo(Classification.UNKNOWN);
        assertThat(classifier.classify("inhouse", "E42")).isEqualTo(Classification.RETRYABLE);
    }

    @Test
    void configurationOverridesSingleCodes() {
        CodeClassifier classifier = CodeClassifier.withDefaults(Map.of("bizgo", Map.of("6ME09", Classification.DELIVERED)));
        assertThat(classifier.classify("bizgo", "6ME09")).isEqualTo(Classification.DELIVERED);
        assertThat(classifier.classify("bizgo", "10000")).isEqualTo(Classification.DELIVERED);
        assertThatThrownBy(() -> CodeClassifier.parse("delivery.classification.bizgo.1", "MAYBE"))
                .hasMessageContaining("delivery.classification.bizgo.1=MAYBE");
    }
}
