package dev.deliverytracker.send.provider.sens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.fakesens.FakeSens;
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

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SENS adapter against the fake SENS over real HTTP: the fake checks NCP's signature with its own implementation,
 * so a signing mistake fails here. SENS has no idempotency key, so only what never reached processing is repeated.
 */
class SensSendAdapterTest {

    private static final String ACCESS = "sens-access-key";
    private static final String SECRET = "sens-secret-key";
    private static final String SERVICE = "ncp:kkobizmsg:kr:1234:test";
    private static final OutgoingMessage MESSAGE = new OutgoingMessage("ncp-sens", List.of(
            new FlowStep(Channel.ALIMTALK, "안녕하세요 #{name}님", "ORDER_SHIPPED", "@shop", null, null),
            new FlowStep(Channel.LMS, "#{name}님, 주문이 발송되었습니다", null, null, "0212345678", "Notice")), "billing", "ref-1", null);

    private FakeSens sens;

    @BeforeEach
    void start() {
        sens = FakeSens.builder(ACCESS, SECRET, SERVICE).start();
    }

    @AfterEach
    void stop() {
        sens.close();
    }

    private SensSendAdapter adapter(String baseUrl, String secret) {
        return new SensSendAdapter(new SensProperties(baseUrl, ACCESS, secret, SERVICE, null, "@shop", "0212345678", Duration.ofSeconds(2),
                Duration.ofSeconds(2), 2, Duration.ofMillis(10), Duration.ofMillis(50)), SensCodes.load());
    }

    private static List<Recipient> recipients(String... numbers) {
        return Arrays.stream(numbers).map(n -> new Recipient(PhoneNumber.parse(n).orElseThrow(), Map.of("name", "김민수"), null, "req-" + n))
                .toList();
    }

    @Test
    void acceptedMessagesAreKeyedByRequestAndMessageIdAndTheWireHasFilledTextsAndTheFailover() throws Exception {
        List<ProviderAnswer> answers = adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600", "01012345601"), Optional.empty());
        assertThat(sens.refusedSignatures()).as("the fake accepted our signature").isZero();
        assertThat(answers).hasSize(2).allSatisfy(a -> assertThat(a).isInstanceOfSatisfying(ProviderAnswer.Accepted.class,
                accepted -> assertThat(accepted.msgKey()).matches("R[0-9a-f]+:M[0-9a-f]+").satisfies(k -> assertThat(accepted.code()).isEqualTo("A000"))));
        String first = ((ProviderAnswer.Accepted) answers.get(0)).msgKey();
        String second = ((ProviderAnswer.Accepted) answers.get(1)).msgKey();
        assertThat(first.split(":")[0]).as("one request").isEqualTo(second.split(":")[0]);
        assertThat(first).isNotEqualTo(second);
        JsonNode wire = sens.received().get(0);
        assertThat(wire.path("plusFriendId").asText()).isEqualTo("@shop");
        assertThat(wire.path("templateCode").asText()).isEqualTo("ORDER_SHIPPED");
        assertThat(wire.at("/messages/0/to").asText()).isEqualTo("01012345600");
        assertThat(wire.at("/messages/0/content").asText()).as("SENS takes finished texts").isEqualTo("안녕하세요 김민수님");
        assertThat(wire.at("/messages/0/useSmsFailover").asBoolean()).isTrue();
        assertThat(wire.at("/messages/0/failoverConfig/type").asText()).isEqualTo("LMS");
        assertThat(wire.at("/messages/0/failoverConfig/subject").asText()).isEqualTo("Notice");
        assertThat(wire.at("/messages/0/failoverConfig/content").asText()).isEqualTo("김민수님, 주문이 발송되었습니다");
    }

    @Test
    void aMessageSensRefusesIsRejectedAloneWithItsCodeAndText() throws Exception {
        sens.refuse("01012345601", "E104", "Invalid template code");
        List<ProviderAnswer> answers = adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600", "01012345601"), Optional.empty());
        assertThat(answers.get(0)).isInstanceOf(ProviderAnswer.Accepted.class);
        assertThat(answers.get(1)).isEqualTo(new ProviderAnswer.Rejected("E104", "Invalid template code"));
    }

    @Test
    void koreanNumbersGoInTheirDomesticFormAndANumberAbroadIsRefusedAlone() throws Exception {
        List<Recipient> recipients = List.of(
                new Recipient(PhoneNumber.parse("+82 10-1234-5600").orElseThrow(), Map.of("name", "김민수"), null, "req-kr"),
                new Recipient(PhoneNumber.parse("+1 415 555 0100").orElseThrow(), Map.of("name", "Kim"), null, "req-us"),
                new Recipient(PhoneNumber.parse("010-1234-5601").orElseThrow(), Map.of("name", "Lee"), null, "req-kr2"));
        List<ProviderAnswer> answers = adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients, Optional.empty());
        assertThat(answers.get(0)).isInstanceOf(ProviderAnswer.Accepted.class);
        assertThat(answers.get(1)).isInstanceOfSatisfying(ProviderAnswer.Rejected.class, r -> assertThat(r.code()).isEqualTo("NOT_KOREAN"));
        assertThat(answers.get(2)).isInstanceOf(ProviderAnswer.Accepted.class);
        JsonNode wire = sens.received().get(0);
        assertThat(wire.path("messages")).hasSize(2);
        assertThat(wire.at("/messages/0/to").asText()).isEqualTo("01012345600");
        assertThat(wire.at("/messages/0/countryCode").asText()).isEqualTo("82");
    }

    @Test
    void aWrongSecretIsAnOperatorsProblemNotRetriedAndNothingIsRecorded() {
        assertThatThrownBy(() -> adapter(sens.baseUrl(), "not-the-secret").send(MESSAGE, recipients("01012345600"), Optional.empty()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.getMessage()).contains("HTTP 401").contains("Authentication");
                    assertThat(e.outcomeUnknown()).isFalse();
                });
        assertThat(sens.refusedSignatures()).isEqualTo(1);
        assertThat(sens.acceptedMessages()).isZero();
    }

    @Test
    void aRateLimitIsRetriedAfterABackOffAndThenAccepted() throws Exception {
        sens.failNextSends(2, 429);
        List<ProviderAnswer> answers = adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600"), Optional.empty());
        assertThat(answers).singleElement().isInstanceOf(ProviderAnswer.Accepted.class);
        assertThat(sens.sendCalls()).isEqualTo(3);
    }

    @Test
    void aServerErrorLeavesTheOutcomeUnknownAndIsNeverRepeatedWithoutAnIdempotencyKey() {
        sens.failNextSends(1, 500);
        assertThatThrownBy(() -> adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600"), Optional.of("k-1")))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertThat(e.getMessage()).contains("not repeated");
                });
        assertThat(sens.sendCalls()).isEqualTo(1);
    }

    @Test
    void aBadRequestRejectsEveryRecipientWithTheStatus() throws Exception {
        sens.failNextSends(1, 400);
        assertThat(adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600", "01012345601"), Optional.empty()))
                .hasSize(2).allSatisfy(a -> assertThat(a).isInstanceOfSatisfying(ProviderAnswer.Rejected.class,
                        r -> assertThat(r.code()).isEqualTo("HTTP 400")));
        assertThat(sens.sendCalls()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionIsRetriedBecauseNothingLeftThenReportedAsNotSent() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> adapter("http://127.0.0.1:" + closedPort, SECRET).send(MESSAGE, recipients("01012345600"), Optional.empty()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.outcomeUnknown()).isFalse();
                    assertThat(e.attempts()).isEqualTo(3);
                });
    }

    @Test
    void aPlainSmsGoesThroughTheSmsApiWhenItsServiceIdIsSetKeyedByRequestAndPosition() throws Exception {
        SensSendAdapter adapter = new SensSendAdapter(new SensProperties(sens.baseUrl(), ACCESS, SECRET, SERVICE, FakeSens.SMS_SERVICE, "@shop",
                "0212345678", Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(10), Duration.ofMillis(50)), SensCodes.load());
        OutgoingMessage sms = new OutgoingMessage("ncp-sens", List.of(new FlowStep(Channel.SMS, "#{name}님 안내", null, null, "0212345678", null)),
                "billing", null, null);
        assertThat(adapter.checkFlow(List.of(Channel.SMS))).isEmpty();
        assertThat(adapter.send(sms, recipients("01012345600", "01012345601"), Optional.empty()))
                .extracting(a -> ((ProviderAnswer.Accepted) a).msgKey()).allMatch(k -> k.matches("sms:S[0-9a-f]+:[12]"));
        assertThat(sens.refusedSignatures()).isZero();
    }

    @Test
    void onlyAlimTalkWithOneSmsOrLmsFailoverIsAccepted() {
        SensSendAdapter adapter = adapter(sens.baseUrl(), SECRET);
        assertThat(adapter.checkFlow(List.of(Channel.ALIMTALK))).isEmpty();
        assertThat(adapter.checkFlow(List.of(Channel.ALIMTALK, Channel.SMS))).isEmpty();
        assertThat(adapter.checkFlow(List.of(Channel.SMS))).hasValueSatisfying(p -> assertThat(p).contains("not supported yet"));
        assertThat(adapter.checkFlow(List.of(Channel.ALIMTALK, Channel.SMS, Channel.LMS))).isPresent();
        assertThat(adapter.maxRecipientsPerRequest()).isEqualTo(FakeSens.MAX_MESSAGES);
    }

    /** Every HTTP row of ncp-sens/send-codes.tsv, answered by the fake: the adapter does what the row's disposition says. */
    @Test
    void everyHttpAnswerOfTheTableIsHandledAsItsDispositionSays() throws Exception {
        List<String[]> rows = new java.util.ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(java.util.Objects.requireNonNull(
                getClass().getResourceAsStream("/ncp-sens/send-codes.tsv")), java.nio.charset.StandardCharsets.UTF_8))) {
            in.lines().filter(l -> l.startsWith("http\t")).map(l -> l.split("\t")).forEach(rows::add);
        }
        assertThat(rows).hasSizeGreaterThan(5);
        for (String[] row : rows) {
            int status = Integer.parseInt(row[1]);
            AnswerDisposition disposition = AnswerDisposition.valueOf(row[2]);
            if (disposition == AnswerDisposition.ACCEPTED) {
                continue; // every other test
            }
            long before = sens.sendCalls();
            sens.failNextSends(1, status);
            String what = "HTTP " + status + " " + disposition;
            switch (disposition) {
                case REJECTED -> assertThat(adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600"), Optional.empty()))
                        .as(what).singleElement().isInstanceOfSatisfying(ProviderAnswer.Rejected.class,
                                r -> assertThat(r.code()).isEqualTo("HTTP " + status));
                case RATE_LIMITED -> assertThat(adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600"), Optional.empty()))
                        .as(what + ": repeated, then accepted").singleElement().isInstanceOf(ProviderAnswer.Accepted.class);
                case MISCONFIGURED -> assertThatThrownBy(() -> adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600"), Optional.empty()))
                        .as(what).isInstanceOfSatisfying(ProviderUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isFalse());
                default -> assertThatThrownBy(() -> adapter(sens.baseUrl(), SECRET).send(MESSAGE, recipients("01012345600"), Optional.empty()))
                        .as(what + ": may have been taken, never repeated")
                        .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isTrue());
            }
            assertThat(sens.sendCalls() - before).as(what + ": calls").isEqualTo(disposition == AnswerDisposition.RATE_LIMITED ? 2 : 1);
        }
    }

    @Test
    void theCodeTableParsesAndUnknownAnswersGetTheSafeDefault() {
        SensCodes codes = SensCodes.load();
        assertThat(codes.http(202).disposition()).isEqualTo(AnswerDisposition.ACCEPTED);
        assertThat(codes.http(401).disposition()).isEqualTo(AnswerDisposition.MISCONFIGURED);
        assertThat(codes.http(429).disposition()).isEqualTo(AnswerDisposition.RATE_LIMITED);
        assertThat(codes.http(599).disposition()).as("may have been processed").isEqualTo(AnswerDisposition.RETRY_IF_IDEMPOTENT);
        assertThat(codes.http(418).disposition()).isEqualTo(AnswerDisposition.REJECTED);
        assertThat(codes.message("A000").disposition()).isEqualTo(AnswerDisposition.ACCEPTED);
        assertThat(codes.message("E999").disposition()).isEqualTo(AnswerDisposition.REJECTED);
    }

    @Test
    void missingKeysOrServiceIdStopTheStartNamingTheVariable() {
        assertThatThrownBy(() -> new SensSendAdapter(new SensProperties(sens.baseUrl(), ACCESS, SECRET, " ", null, null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 0, Duration.ofMillis(1), Duration.ofMillis(1)), SensCodes.load()))
                .hasMessageContaining("NCP_SENS_ALIMTALK_SERVICE_ID");
        assertThatThrownBy(() -> new SensSendAdapter(new SensProperties(sens.baseUrl(), ACCESS, "", SERVICE, null, null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 0, Duration.ofMillis(1), Duration.ofMillis(1)), SensCodes.load()))
                .hasMessageContaining("NCP_SECRET_KEY");
    }
}
