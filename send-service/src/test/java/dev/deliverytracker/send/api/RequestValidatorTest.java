package dev.deliverytracker.send.api;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.send.dispatch.Addressee;
import dev.deliverytracker.send.dispatch.FlowStep;
import dev.deliverytracker.send.dispatch.ProviderAdapters;
import dev.deliverytracker.send.provider.bizgo.BizgoCodes;
import dev.deliverytracker.send.provider.bizgo.BizgoProperties;
import dev.deliverytracker.send.provider.bizgo.BizgoSendAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The validator alone, with the real Bizgo adapter for its defaults and channel limits (never called: nothing is sent). */
class RequestValidatorTest {

    private static final BizgoSendAdapter BIZGO = new BizgoSendAdapter(new BizgoProperties("http://127.0.0.1:9", "key",
            "default-sender-key", "0212345678", Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofMillis(10),
            Duration.ofMillis(10), Duration.ofHours(24)), BizgoCodes.load());
    private final RequestValidator validator = new RequestValidator(new ProviderAdapters(List.of(BIZGO)), "bizgo",
            Duration.ofDays(7), 3);

    private static FlowStepRequest alimtalk(String text) {
        return new FlowStepRequest("ALIMTALK", "ORDER_SHIPPED", null, text, null, null);
    }

    private static FlowStepRequest sms(String text) {
        return new FlowStepRequest("sms", null, null, text, null, null);
    }

    private static MessageRequest single(String to, List<FlowStepRequest> flow, Map<String, String> variables) {
        return new MessageRequest(to, flow, variables, null, "inv-1", null, null);
    }

    @Test
    void aValidSendAppliesTheProviderDefaultsAndTheTokensOrigin() {
        RequestValidator.Validated validated = validator.single(single("010-1234-5678",
                List.of(alimtalk("Hi #{name}"), sms("Hi #{name}")), Map.of("name", "Kim")), "billing");
        assertThat(validated.errors()).isEmpty();
        assertThat(validated.message().provider()).isEqualTo("bizgo");
        assertThat(validated.message().origin()).isEqualTo("billing");
        assertThat(validated.message().flow()).containsExactly(
                new FlowStep(Channel.ALIMTALK, "Hi #{name}", "ORDER_SHIPPED", "default-sender-key", null, null),
                new FlowStep(Channel.SMS, "Hi #{name}", null, null, "0212345678", null));
        Addressee addressee = validated.recipients().get(0);
        assertThat(addressee.to().digits()).isEqualTo("01012345678");
        assertThat(addressee.variables()).containsExactly(Map.entry("name", "Kim"));
    }

    @Test
    void everyBadFieldIsNamedAndNoNumberOrTextIsEchoed() {
        RequestValidator.Validated validated = validator.single(new MessageRequest("98765", List.of(
                new FlowStepRequest("FAX", null, null, "x", null, null),
                new FlowStepRequest("ALIMTALK", null, null, "secret text #{missing}", null, null),
                new FlowStepRequest("SMS", null, null, "  ", "02-abc", null)), null, "Billing!", "r".repeat(201), "aligo", "P0D"), null);
        assertThat(validated.valid()).isFalse();
        assertThat(validated.errors()).containsOnlyKeys("provider", "origin", "ref", "timeout", "flow[0].channel",
                "flow[1].templateCode", "flow[1].senderKey", "flow[2].text", "flow[2].from", "to", "variables.missing");
        assertThat(validated.errors().get("provider")).isEqualTo("unknown provider; configured: [bizgo]");
        assertThat(String.join(" ", validated.errors().values())).doesNotContain("98765").doesNotContain("secret text");
    }

    @Test
    void theOriginMustMatchTheTokenAndIsRequiredWithoutOne() {
        MessageRequest claimsAuth = new MessageRequest("01012345678", List.of(sms("hi")), null, "auth", null, null, null);
        assertThat(validator.single(claimsAuth, "billing").errors()).containsEntry("origin", "does not match the token's origin");
        assertThat(validator.single(claimsAuth, null).errors()).isEmpty();
        assertThat(validator.single(single("01012345678", List.of(sms("hi")), null), null).errors())
                .containsEntry("origin", "required: the calling service's name");
    }

    @Test
    void textLimitsAreTheProvidersAndApplyAfterTheVariables() {
        RequestValidator.Validated tooLong = validator.single(single("01012345678", List.of(sms("#{v}")),
                Map.of("v", "가".repeat(46))), "billing");
        assertThat(tooLong.errors()).containsOnlyKeys("flow[0].text");
        assertThat(tooLong.errors().get("flow[0].text")).startsWith("SMS text is 92 bytes");
        RequestValidator.Validated lms = validator.single(single("01012345678",
                List.of(new FlowStepRequest("LMS", null, null, "#{v}", "0311234567", "Notice")), Map.of("v", "가".repeat(46))), "billing");
        assertThat(lms.errors()).isEmpty();
        assertThat(lms.message().flow().get(0)).isEqualTo(new FlowStep(Channel.LMS, "#{v}", null, null, "0311234567", "Notice"));
    }

    @Test
    void aFlowHasOneToFourDistinctChannels() {
        assertThat(validator.single(single("01012345678", List.of(), null), "b").errors()).containsEntry("flow", "at least one channel is required");
        assertThat(validator.single(single("01012345678", List.of(sms("a"), sms("b")), null), "b").errors())
                .containsEntry("flow[1].channel", "SMS appears twice in the flow");
        assertThat(validator.single(single("01012345678", Collections.nCopies(5, sms("a")), null), "b").errors())
                .containsEntry("flow", "at most 4 channels");
    }

    @Test
    void aBatchNamesEachRecipientAndHasALimit() {
        List<BatchRequest.BatchRecipient> recipients = new ArrayList<>(List.of(
                new BatchRequest.BatchRecipient("01012345678", Map.of("name", "Kim"), "a"),
                new BatchRequest.BatchRecipient("nope", Map.of("name", "Lee"), "b"),
                new BatchRequest.BatchRecipient("01087654321", Map.of(), "c")));
        recipients.add(1, null);
        RequestValidator.Validated validated = validator.batch(new BatchRequest(recipients.subList(0, 3), List.of(sms("Hi #{name}")),
                null, null, null, null), "billing");
        assertThat(validated.errors()).containsOnlyKeys("recipients[1]", "recipients[2].to");
        RequestValidator.Validated missing = validator.batch(new BatchRequest(List.of(recipients.get(3)), List.of(sms("Hi #{name}")),
                null, null, null, null), "billing");
        assertThat(missing.errors()).containsOnlyKeys("recipients[0].variables.name");
        assertThat(validator.batch(new BatchRequest(Collections.nCopies(4, recipients.get(0)), List.of(sms("Hi #{name}")),
                null, null, null, null), "billing").errors()).containsEntry("recipients", "at most 3 recipients per batch, got 4");
    }
}
