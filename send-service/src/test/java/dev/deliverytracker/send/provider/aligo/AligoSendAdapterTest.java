package dev.deliverytracker.send.provider.aligo;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.fakealigo.FakeAligo;
import dev.deliverytracker.send.dispatch.FlowStep;
import dev.deliverytracker.send.dispatch.OutgoingMessage;
import dev.deliverytracker.send.dispatch.ProviderAnswer;
import dev.deliverytracker.send.dispatch.ProviderUnavailableException;
import dev.deliverytracker.send.dispatch.Recipient;
import dev.deliverytracker.send.privacy.PhoneNumber;
import dev.deliverytracker.send.provider.AnswerDisposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Aligo adapter against the fake Aligo over real HTTP: tokens, the numbered form, answers, refusals. */
class AligoSendAdapterTest {

    private static final String KEY = "aligo-api-key";
    private static final String USER = "aligo-user";
    private static final OutgoingMessage MESSAGE = new OutgoingMessage("aligo", List.of(
            new FlowStep(Channel.ALIMTALK, "안녕하세요 #{name}님", "TPL_SHIPPED", "sender-key", null, null),
            new FlowStep(Channel.SMS, "#{name}님, 발송되었습니다", null, null, "0212345678", null)), "billing", "ref-1", null);

    private FakeAligo aligo;

    @BeforeEach
    void start() {
        aligo = FakeAligo.builder(KEY, USER).start();
    }

    @AfterEach
    void stop() {
        aligo.close();
    }

    private AligoSendAdapter adapter(String key) {
        return new AligoSendAdapter(new AligoProperties(true, aligo.baseUrl(), aligo.baseUrl(), key, USER, "sender-key", "0212345678", Duration.ofHours(1),
                false, Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(10), Duration.ofMillis(50)), AligoCodes.load());
    }

    private static List<Recipient> recipients(String... numbers) {
        return Arrays.stream(numbers).map(n -> new Recipient(PhoneNumber.parse(n).orElseThrow(), Map.of("name", "김민수"), null, "req-" + n))
                .toList();
    }

    @Test
    void acceptedRecipientsAreKeyedByMidAndPositionAndTheFormIsNumberedWithFilledTexts() throws Exception {
        List<ProviderAnswer> answers = adapter(KEY).send(MESSAGE, recipients("01012345600", "+82 10-1234-5601"), Optional.empty());
        assertThat(answers).hasSize(2).allSatisfy(a -> assertThat(a).isInstanceOf(ProviderAnswer.Accepted.class));
        String first = ((ProviderAnswer.Accepted) answers.get(0)).msgKey();
        String second = ((ProviderAnswer.Accepted) answers.get(1)).msgKey();
        assertThat(first).matches("[0-9]+:1");
        assertThat(second).isEqualTo(first.replace(":1", ":2"));
        Map<String, String> form = aligo.received().get(0).form();
        assertThat(form).containsEntry("tpl_code", "TPL_SHIPPED").containsEntry("senderkey", "sender-key")
                .containsEntry("receiver_1", "01012345600").containsEntry("receiver_2", "01012345601")
                .containsEntry("message_1", "안녕하세요 김민수님").containsEntry("failover", "Y")
                .containsEntry("fmessage_2", "김민수님, 발송되었습니다").containsEntry("sender", "0212345678").containsKey("token");
    }

    @Test
    void theTokenIsReusedAndRenewedOnceWhenAligoNoLongerTakesIt() throws Exception {
        AligoSendAdapter adapter = adapter(KEY);
        adapter.send(MESSAGE, recipients("01012345600"), Optional.empty());
        adapter.send(MESSAGE, recipients("01012345601"), Optional.empty());
        assertThat(aligo.tokensCreated()).isEqualTo(1);
        aligo.expireTokens();
        assertThat(adapter.send(MESSAGE, recipients("01012345602"), Optional.empty())).singleElement().isInstanceOf(ProviderAnswer.Accepted.class);
        assertThat(aligo.tokensCreated()).isEqualTo(2);
    }

    @Test
    void aWrongKeyIsAnOperatorsProblemNamingTheVariables() {
        assertThatThrownBy(() -> adapter("not-the-key").send(MESSAGE, recipients("01012345600"), Optional.empty()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.outcomeUnknown()).isFalse();
                    assertThat(e.getMessage()).contains("-101").contains("ALIGO_API_KEY");
                });
    }

    @Test
    void usedUpPointsRefuseEveryRecipientWithAligosText() throws Exception {
        aligo.points(0);
        assertThat(adapter(KEY).send(MESSAGE, recipients("01012345600", "01012345601"), Optional.empty()))
                .containsExactly(new ProviderAnswer.Rejected("-99", "포인트가 부족합니다."), new ProviderAnswer.Rejected("-99", "포인트가 부족합니다."));
    }

    @Test
    void aNumberAbroadIsRefusedAloneAndOnlyAlimTalkFirstFlowsAreTaken() throws Exception {
        List<Recipient> mixed = List.of(recipients("01012345600").get(0),
                new Recipient(PhoneNumber.parse("+1 415 555 0100").orElseThrow(), Map.of("name", "Kim"), null, "req-us"));
        List<ProviderAnswer> answers = adapter(KEY).send(MESSAGE, mixed, Optional.empty());
        assertThat(answers.get(0)).isInstanceOf(ProviderAnswer.Accepted.class);
        assertThat(answers.get(1)).isInstanceOfSatisfying(ProviderAnswer.Rejected.class, r -> assertThat(r.code()).isEqualTo("NOT_KOREAN"));
        assertThat(aligo.received().get(0).form()).doesNotContainKey("receiver_2");
        AligoSendAdapter adapter = adapter(KEY);
        assertThat(adapter.checkFlow(List.of(Channel.ALIMTALK, Channel.LMS))).isEmpty();
        assertThat(adapter.checkFlow(List.of(Channel.SMS))).isEmpty();
        assertThat(adapter.checkFlow(List.of(Channel.SMS, Channel.LMS))).isPresent();
        assertThat(adapter.maxRecipientsPerRequest()).isEqualTo(FakeAligo.MAX_RECEIVERS);
    }

    @Test
    void aPlainSmsGoesThroughTheSmsApiKeyedBySmsMsgIdAndPosition() throws Exception {
        OutgoingMessage sms = new OutgoingMessage("aligo", List.of(new FlowStep(Channel.LMS, "#{name}님 안내", null, null, "0212345678", "안내")),
                "billing", null, null);
        List<ProviderAnswer> answers = adapter(KEY).send(sms, recipients("01012345600", "01012345601"), Optional.empty());
        assertThat(answers).extracting(a -> ((ProviderAnswer.Accepted) a).msgKey()).allMatch(k -> k.matches("sms:[0-9]+:[12]"));
        Map<String, String> form = aligo.received().get(0).form();
        assertThat(form).containsEntry("rec_1", "01012345600").containsEntry("msg_2", "김민수님 안내").containsEntry("msg_type", "LMS")
                .containsEntry("cnt", "2").containsEntry("title", "안내").containsEntry("user_id", USER).doesNotContainKey("token");
    }

    @Test
    void theCodeTableParsesAndAnUnknownCodeRefuses() {
        AligoCodes codes = AligoCodes.load();
        assertThat(codes.classify("0").disposition()).isEqualTo(AnswerDisposition.ACCEPTED);
        assertThat(codes.classify("-99").disposition()).isEqualTo(AnswerDisposition.REJECTED);
        assertThat(codes.classify("-101").disposition()).isEqualTo(AnswerDisposition.MISCONFIGURED);
        assertThat(codes.classify("-7").disposition()).isEqualTo(AnswerDisposition.REJECTED);
    }
}
