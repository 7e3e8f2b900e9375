package dev.deliverytracker.send.provider.bizgo;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.send.dispatch.FlowStep;
import dev.deliverytracker.send.dispatch.OutgoingMessage;
import dev.deliverytracker.send.dispatch.ProviderUnavailableException;
import dev.deliverytracker.send.dispatch.Recipient;
import dev.deliverytracker.send.dispatch.ProviderAnswer;
import dev.deliverytracker.send.privacy.PhoneNumber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Bizgo adapter's judging and retrying, against the fake Bizgo speaking Bizgo's wire format over real HTTP. What
 * may be retried depends on whether Bizgo could have accepted the request: with an idempotency key anything is safe,
 * without one only what never reached processing (a refused connection, a rate limit).
 */
class BizgoSendAdapterTest {

    private static final String API_KEY = "adapter-test-api-key";
    private static final OutgoingMessage MESSAGE = new OutgoingMessage("bizgo", List.of(
            new FlowStep(Channel.ALIMTALK, "Hi #{name}", "ORDER_SHIPPED", "sender-key", null, null),
            new FlowStep(Channel.LMS, "Hi #{name}", null, null, "0212345678", "Notice")), "billing", "ref-1", null);

    private FakeBizgo bizgo;

    @BeforeEach
    void start() {
        bizgo = FakeBizgo.builder(API_KEY).start();
    }

    @AfterEach
    void stop() {
        assertThat(bizgo.scriptedLeft()).as("every scripted failure was used").isZero();
        bizgo.close();
    }

    private BizgoSendAdapter adapter(String apiKey) {
        return new BizgoSendAdapter(new BizgoProperties(bizgo.baseUrl(), apiKey, null, null, Duration.ofSeconds(2),
                Duration.ofSeconds(2), 2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofHours(24)), BizgoCodes.load());
    }

    private static List<Recipient> recipients(String... numbers) {
        return java.util.Arrays.stream(numbers).map(n -> new Recipient(PhoneNumber.parse(n).orElseThrow(), Map.of("name", "Kim"),
                null, "req-" + n)).toList();
    }

    @Test
    void acceptedRecipientsCarryTheirMsgKeysAndTheWireHasTheFlowAndVariables() throws Exception {
        List<ProviderAnswer> results = adapter(API_KEY).send(MESSAGE, recipients("01012345600", "01012345601"), Optional.empty());
        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(ProviderAnswer.Accepted.class,
                a -> assertThat(a.code()).isEqualTo("A000")));
        assertThat(((ProviderAnswer.Accepted) results.get(0)).msgKey()).isNotEqualTo(((ProviderAnswer.Accepted) results.get(1)).msgKey());
        FakeBizgo.ReceivedSend wire = bizgo.sends().get(0);
        assertThat(wire.authorization()).isEqualTo(API_KEY);
        assertThat(wire.body().at("/messageFlow/0/alimtalk/templateCode").asText()).isEqualTo("ORDER_SHIPPED");
        assertThat(wire.body().at("/messageFlow/1").has("mms")).as("LMS goes as Bizgo's mms").isTrue();
        assertThat(wire.body().at("/messageFlow/1/mms/title").asText()).isEqualTo("Notice");
        assertThat(wire.body().at("/destinations/0/replaceWords/name").asText()).isEqualTo("Kim");
        assertThat(wire.body().has("idempotencyKey")).isFalse();
    }

    @Test
    void aServiceLevelRefusalRejectsEveryRecipientWithBizgosCodeAndIsNotRetried() throws Exception {
        bizgo.failNextSends(1, 400, "A303", "Invalid text");
        List<ProviderAnswer> results = adapter(API_KEY).send(MESSAGE, recipients("01012345600", "01012345601"), Optional.of("dt-k"));
        assertThat(results).containsExactly(new ProviderAnswer.Rejected("A303", "Invalid text"),
                new ProviderAnswer.Rejected("A303", "Invalid text"));
        assertThat(bizgo.sends()).hasSize(1);
    }

    @Test
    void aWrongKeyIsMisconfigurationNeitherRetriedNorCalledRejected() {
        assertThatThrownBy(() -> adapter("not-the-key").send(MESSAGE, recipients("01012345600"), Optional.of("dt-k")))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.outcomeUnknown()).isFalse();
                    assertThat(e.getMessage()).contains("A401");
                });
        assertThat(bizgo.sends()).hasSize(1);
    }

    @Test
    void aServerErrorIsRetriedWithAnIdempotencyKey() throws Exception {
        bizgo.failNextSends(2, 503, "A920", "Server busy");
        List<ProviderAnswer> results = adapter(API_KEY).send(MESSAGE, recipients("01012345600"), Optional.of("dt-retry"));
        assertThat(results.get(0)).isInstanceOf(ProviderAnswer.Accepted.class);
        assertThat(bizgo.sends()).hasSize(3).extracting(s -> s.body().get("idempotencyKey").asText()).containsOnly("dt-retry");
    }

    @Test
    void aServerErrorIsNotRetriedWithoutAKeyBecauseBizgoMayHaveAcceptedIt() {
        bizgo.failNextSends(1, 500, "A999", "Unknown error");
        assertThatThrownBy(() -> adapter(API_KEY).send(MESSAGE, recipients("01012345600"), Optional.empty()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertThat(e.getMessage()).contains("not retried without an Idempotency-Key");
                });
        assertThat(bizgo.sends()).hasSize(1);
    }

    @Test
    void aRateLimitIsRetriedEvenWithoutAKeyAndGivesUpAfterTheConfiguredRetries() throws Exception {
        bizgo.failNextSends(1, 429, "A020", "Rate limit exceeded");
        assertThat(adapter(API_KEY).send(MESSAGE, recipients("01012345600"), Optional.empty()).get(0))
                .isInstanceOf(ProviderAnswer.Accepted.class);
        bizgo.failNextSends(3, 429, "A020", "Rate limit exceeded");
        assertThatThrownBy(() -> adapter(API_KEY).send(MESSAGE, recipients("01012345600"), Optional.empty()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.outcomeUnknown()).isFalse();
                });
        assertThat(bizgo.sends()).hasSize(5);
    }

    @Test
    void theSameIdempotencyKeyAgainIsTheSameMessageNotASecondOne() throws Exception {
        BizgoSendAdapter adapter = adapter(API_KEY);
        ProviderAnswer.Accepted first = (ProviderAnswer.Accepted) adapter.send(MESSAGE, recipients("01012345600"), Optional.of("dt-dup")).get(0);
        ProviderAnswer.Accepted again = (ProviderAnswer.Accepted) adapter.send(MESSAGE, recipients("01012345600"), Optional.of("dt-dup")).get(0);
        assertThat(again.msgKey()).isEqualTo(first.msgKey());
        assertThat(again.duplicate()).isTrue();
        assertThat(first.duplicate()).isFalse();
        assertThat(bizgo.acceptedMessages()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionIsRetriedBecauseNothingLeft() {
        int port = bizgo.port();
        bizgo.close();
        BizgoSendAdapter adapter = new BizgoSendAdapter(new BizgoProperties("http://127.0.0.1:" + port, API_KEY, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofHours(24)),
                BizgoCodes.load());
        assertThatThrownBy(() -> adapter.send(MESSAGE, recipients("01012345600"), Optional.empty()))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(2);
                    assertThat(e.outcomeUnknown()).isFalse();
                    assertThat(e.getMessage()).startsWith("cannot connect to Bizgo");
                });
    }
}
