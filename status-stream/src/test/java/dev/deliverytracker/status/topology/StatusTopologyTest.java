package dev.deliverytracker.status.topology;

import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.rules.CodeClassifier;
import dev.deliverytracker.status.rules.DeliveryTimeouts;
import dev.deliverytracker.status.rules.StatusRules;
import dev.deliverytracker.state.Phase;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.rejectedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static dev.deliverytracker.status.topology.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Every row of the state machine table (docs/architecture.md, section 4) and every behaviour of issue 3, driven through
 * TopologyTestDriver with fixed record timestamps and a mocked wall clock. Each test ends by proving that nothing
 * more was emitted.
 */
class StatusTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private TopologyHarness harness;

    private TopologyHarness start(StatusTopologyConfig config, Instant wallClock) {
        harness = new TopologyHarness(config, wallClock);
        return harness;
    }

    private TopologyHarness start() {
        return start(config(10_000), T0);
    }

    static StatusTopologyConfig config(int maxDue) {
        StatusRules rules = new StatusRules(
                new DeliveryTimeouts(TIMEOUT, Map.of("bizgo.sms", Duration.ofMinutes(3))),
                CodeClassifier.defaults(), Duration.ofHours(24), Duration.ofMinutes(2), Duration.ofHours(48), true);
        return new StatusTopologyConfig(TopicCatalogue.defaults(), rules, SECOND, maxDue,
                Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void acceptedSendIsPendingThenDeliveredReportSettlesItAsSent() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-1", T0).build());
        DeliveryStatus pending = h.onlyStatus();
        assertThat(pending.getStatus()).isEqualTo(DeliveryState.PENDING);
        assertThat(pending.getPreviousStatus()).isNull();
        assertThat(pending.getOrigin()).isEqualTo("billing");
        assertThat(pending.getRecipientMasked()).as("masked, from the send event").isEqualTo("010-****-5678");

        h.report(report("mk-1", Channel.ALIMTALK, "10000", T0.plusSeconds(4)).build());
        DeliveryStatus sent = h.onlyStatus();
        assertThat(sent.getStatus()).isEqualTo(DeliveryState.SENT);
        assertThat(sent.getPreviousStatus()).isEqualTo(DeliveryState.PENDING);
        assertThat(sent.getClassification()).isEqualTo(Classification.DELIVERED);
        assertThat(sent.getChannel()).isEqualTo(Channel.ALIMTALK);
        assertThat(sent.getLatencyMillis()).isEqualTo(4_000L);
        assertThat(sent.getLate()).isFalse();
        assertThat(sent.getAcceptedAt()).isEqualTo(T0);
        assertThat(sent.getResolvedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(sent.getRequestId()).isEqualTo("req-mk-1");
        assertThat(sent.getTemplateCode()).isEqualTo("TPL_ORDER_SHIPPED");
        assertThat(sent.getRecipientMasked()).isEqualTo("010-****-5678");
        assertThat(sent.getEventId()).isEqualTo("mk-1:2:SENT");

        h.advance(Duration.ofHours(1)); // well past the deadline: a settled delivery never goes stuck
        h.assertNothingMoreEmitted();
    }

    @Test
    void rejectedSendIsDeadLetterAtOnceKeyedByRequestId() {
        TopologyHarness h = start();
        h.send(rejectedSend("req-9", T0, "A112", "template not approved").build());
        DeliveryStatus dead = h.onlyStatus();
        assertThat(dead.getMsgKey()).isEqualTo("req-9");
        assertThat(dead.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
        assertThat(dead.getClassification()).isEqualTo(Classification.REJECTED);
        assertThat(dead.getCode()).isEqualTo("A112");
        assertThat(dead.getText()).isEqualTo("template not approved");
        h.advance(Duration.ofHours(1));
        h.assertNothingMoreEmitted();
    }

    @Test
    void failureOnTheLastChannelIsDeadLetterWithCodeTextAndClassification() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-2", T0).setFlow(List.of(Channel.ALIMTALK)).build());
        h.statuses();
        h.report(report("mk-2", Channel.ALIMTALK, "64016", T0.plusSeconds(2)).setReportText("not a KakaoTalk user").build());
        DeliveryStatus dead = h.onlyStatus();
        assertThat(dead.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
        assertThat(dead.getClassification()).isEqualTo(Classification.PERMANENT_FAILURE);
        assertThat(dead.getCode()).isEqualTo("64016");
        assertThat(dead.getText()).isEqualTo("not a KakaoTalk user");
        h.assertNothingMoreEmitted();
    }

    @Test
    void suspendedAccountCodeIsAnAccountFailure() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-3", T0).setFlow(List.of(Channel.ALIMTALK)).build());
        h.statuses();
        h.report(report("mk-3", Channel.ALIMTALK, "64008", T0.plusSeconds(1)).build());
        DeliveryStatus dead = h.onlyStatus();
        assertThat(dead.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
        assertThat(dead.getClassification()).isEqualTo(Classification.ACCOUNT_FAILURE);
        h.assertNothingMoreEmitted();
    }

    @Test
    void unknownCodeIsAFailureNeverASuccess() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-4", T0).setFlow(List.of(Channel.ALIMTALK)).build());
        h.statuses();
        h.report(report("mk-4", Channel.ALIMTALK, "ZZ999", T0.plusSeconds(1)).build());
        DeliveryStatus dead = h.onlyStatus();
        assertThat(dead.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
        assertThat(dead.getClassification()).isEqualTo(Classification.UNKNOWN);
        h.assertNothingMoreEmitted();
    }

    @Test
    void fallbackFailureThenSuccessOnSmsIsSentThroughSms() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-5", T0).build()); // ALIMTALK then SMS
        h.statuses();
        h.report(report("mk-5", Channel.ALIMTALK, "63019", T0.plusSeconds(2)).build());
        DeliveryStatus fallback = h.onlyStatus();
        assertThat(fallback.getStatus()).isEqualTo(DeliveryState.FALLBACK);
        assertThat(fallback.getClassification()).isEqualTo(Classification.PERMANENT_FAILURE);
        assertThat(fallback.getChannel()).isEqualTo(Channel.ALIMTALK);

        h.report(report("mk-5", Channel.SMS, "10000", T0.plusSeconds(9)).build());
        DeliveryStatus sent = h.onlyStatus();
        assertThat(sent.getStatus()).isEqualTo(DeliveryState.SENT);
        assertThat(sent.getPreviousStatus()).isEqualTo(DeliveryState.FALLBACK);
        assertThat(sent.getChannel()).isEqualTo(Channel.SMS);
        assertThat(sent.getAttempts()).extracting(a -> a.getChannel() + ":" + a.getCode())
                .containsExactly("ALIMTALK:63019", "SMS:10000");
        h.advance(Duration.ofHours(1));
        h.assertNothingMoreEmitted();
    }

    @Test
    void fallbackExhaustedOnTheLastChannelIsDeadLetter() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-6", T0).build());
        h.statuses();
        h.report(report("mk-6", Channel.ALIMTALK, "63020", T0.plusSeconds(2)).build());
        assertThat(h.onlyStatus().getStatus()).isEqualTo(DeliveryState.FALLBACK);
        h.report(report("mk-6", Channel.SMS, "22000", T0.plusSeconds(30)).build());
        DeliveryStatus dead = h.onlyStatus();
        assertThat(dead.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
        assertThat(dead.getClassification()).isEqualTo(Classification.TIMEOUT);
        assertThat(dead.getChannel()).isEqualTo(Channel.SMS);
        assertThat(dead.getAttempts()).hasSize(2);
        h.assertNothingMoreEmitted();
    }

    @Test
    void fallbackExtendsTheDeadlineByTheNextChannelsTimeout() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-7", T0).build());
        h.statuses();
        h.advance(Duration.ofMinutes(9));
        h.report(report("mk-7", Channel.ALIMTALK, "63019", h.wallClock()).build()); // at T0+9m; SMS timeout 3m
        assertThat(h.onlyStatus().getStatus()).isEqualTo(DeliveryState.FALLBACK);
        h.advance(Duration.ofMinutes(2)); // T0+11m: past the first deadline, not the extended one (T0+12m)
        h.assertNothingMoreEmitted();
        h.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(h.onlyStatus().getStatus()).isEqualTo(DeliveryState.STUCK_PENDING);
        h.assertNothingMoreEmitted();
    }

    @Test
    void noReportByTheDeadlineIsStuckPendingByTheWallClockAlone() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-8", T0).build());
        h.statuses();
        h.advance(TIMEOUT.minusSeconds(1));
        h.assertNothingMoreEmitted();
        h.advance(Duration.ofSeconds(2)); // no record arrives: only the wall clock moves
        DeliveryStatus stuck = h.onlyStatus();
        assertThat(stuck.getStatus()).isEqualTo(DeliveryState.STUCK_PENDING);
        assertThat(stuck.getPreviousStatus()).isEqualTo(DeliveryState.PENDING);
        assertThat(stuck.getClassification()).isNull();
        assertThat(stuck.getLate()).isFalse();
        assertThat(harness.metrics.phase(Phase.STUCK)).isEqualTo(1);
        h.advance(Duration.ofMinutes(30));
        h.assertNothingMoreEmitted();
    }

    @Test
    void stuckThenLateSuccessIsSentMarkedLate() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-9", T0).build());
        h.advance(TIMEOUT.plusSeconds(1));
        assertThat(h.statuses()).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.PENDING, DeliveryState.STUCK_PENDING);
        h.report(report("mk-9", Channel.ALIMTALK, "10000", h.wallClock()).build());
        DeliveryStatus sent = h.onlyStatus();
        assertThat(sent.getStatus()).isEqualTo(DeliveryState.SENT);
        assertThat(sent.getPreviousStatus()).isEqualTo(DeliveryState.STUCK_PENDING);
        assertThat(sent.getLate()).isTrue();
        h.assertNothingMoreEmitted();
    }

    @Test
    void stuckThenLateFailureIsDeadLetterMarkedLate() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-10", T0).setFlow(List.of(Channel.ALIMTALK)).build());
        h.advance(TIMEOUT.plusSeconds(1));
        h.statuses();
        h.report(report("mk-10", Channel.ALIMTALK, "64008", h.wallClock()).build());
        DeliveryStatus dead = h.onlyStatus();
        assertThat(dead.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
        assertThat(dead.getLate()).isTrue();
        h.assertNothingMoreEmitted();
    }

    @Test
    void stuckThenMaximumAgeIsDeadLetterNoReport() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-11", T0).build());
        h.advance(TIMEOUT.plusSeconds(1));
        h.statuses();
        h.advance(Duration.ofHours(24).minus(TIMEOUT).minusSeconds(5));
        h.assertNothingMoreEmitted();
        h.advance(Duration.ofSeconds(10));
        DeliveryStatus dead = h.onlyStatus();
        assertThat(dead.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
        assertThat(dead.getClassification()).isEqualTo(Classification.NO_REPORT);
        assertThat(dead.getPreviousStatus()).isEqualTo(DeliveryState.STUCK_PENDING);
        assertThat(dead.getLate()).isTrue();
        h.advance(Duration.ofHours(1));
        h.assertNothingMoreEmitted();
    }

    @Test
    void reportBeforeItsSendIsHeldAndResolvedWhenTheSendArrives() {
        TopologyHarness h = start();
        h.report(report("mk-12", Channel.ALIMTALK, "10000", T0).build());
        h.assertNothingMoreEmitted();
        assertThat(h.stored("mk-12").getPhase()).isEqualTo(Phase.ORPHAN);
        h.advance(Duration.ofMinutes(1));
        h.send(acceptedSend("mk-12", T0.minusSeconds(1)).build());
        List<DeliveryStatus> out = h.statuses();
        assertThat(out).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.PENDING, DeliveryState.SENT);
        assertThat(out.get(1).getLate()).isFalse();
        h.advance(Duration.ofHours(2));
        h.assertNothingMoreEmitted();
    }

    @Test
    void reportWithoutSendAfterTheGracePeriodIsUnmatchedAndALateSendStillResolvesIt() {
        TopologyHarness h = start();
        h.report(report("mk-13", Channel.ALIMTALK, "64016", T0).build());
        h.advance(Duration.ofMinutes(2).minusSeconds(2));
        h.assertNothingMoreEmitted();
        h.advance(Duration.ofSeconds(3));
        DeliveryStatus unmatched = h.onlyStatus();
        assertThat(unmatched.getStatus()).isEqualTo(DeliveryState.UNMATCHED_REPORT);
        assertThat(unmatched.getCode()).isEqualTo("64016");
        assertThat(unmatched.getAcceptedAt()).isNull();
        assertThat(unmatched.getProvider()).isEqualTo("bizgo");

        h.send(acceptedSend("mk-13", h.wallClock()).setFlow(List.of(Channel.ALIMTALK)).build());
        List<DeliveryStatus> out = h.statuses();
        assertThat(out).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.PENDING, DeliveryState.DEAD_LETTER);
        assertThat(out.get(1).getLate()).isTrue();
        h.assertNothingMoreEmitted();
    }

    @Test
    void duplicateReportsAndSendsEmitNothingAndAreCounted() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-14", T0).build());
        h.send(acceptedSend("mk-14", T0).build()); // the producer published twice
        assertThat(h.statuses()).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.PENDING);
        h.report(report("mk-14", Channel.ALIMTALK, "6ME09", T0.plusSeconds(1)).build()); // uncertain: keep waiting
        h.report(report("mk-14", Channel.ALIMTALK, "6ME09", T0.plusSeconds(2)).build()); // provider retry
        h.assertNothingMoreEmitted();
        h.report(report("mk-14", Channel.ALIMTALK, "10000", T0.plusSeconds(3)).build());
        DeliveryStatus sent = h.onlyStatus();
        assertThat(sent.getStatus()).isEqualTo(DeliveryState.SENT);
        assertThat(sent.getDuplicateCount()).isEqualTo(2);
        for (int retry = 0; retry < 3; retry++) { // Bizgo re-sends up to 3 times
            h.report(report("mk-14", Channel.ALIMTALK, "10000", T0.plusSeconds(4 + retry)).build());
        }
        h.assertNothingMoreEmitted();
        assertThat(h.stored("mk-14").getDuplicates()).isEqualTo(5);
        assertThat(h.metrics.duplicates.get()).isEqualTo(5);
        assertThat(h.metrics.contradictions.get()).isZero();
    }

    @Test
    void aDuplicateContradictingTheSettledOutcomeIsCountedApartAndEmitsNothing() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-15", T0).build());
        h.report(report("mk-15", Channel.ALIMTALK, "10000", T0.plusSeconds(1)).build());
        assertThat(h.statuses()).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.PENDING, DeliveryState.SENT);
        h.report(report("mk-15", Channel.ALIMTALK, "64016", T0.plusSeconds(5)).build());
        h.assertNothingMoreEmitted();
        assertThat(h.metrics.contradictions.get()).isEqualTo(1);
        assertThat(h.stored("mk-15").getContradictions()).isEqualTo(1);
        assertThat(h.stored("mk-15").getStatus()).isEqualTo(DeliveryState.SENT);
    }

    @Test
    void uncertainCodeKeepsWaitingAndIsNeverCalledDelivered() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-16", T0).build());
        h.statuses();
        h.report(report("mk-16", Channel.ALIMTALK, "63005", T0.plusSeconds(1)).build());
        h.assertNothingMoreEmitted();
        h.advance(TIMEOUT.plusSeconds(1));
        assertThat(h.onlyStatus().getStatus()).isEqualTo(DeliveryState.STUCK_PENDING);
        h.assertNothingMoreEmitted();
    }

    @Test
    void perMessageTimeoutAndPerChannelConfigOverrideTheDefault() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-17", T0).setTimeoutMillis(30_000L).build());
        h.send(acceptedSend("mk-18", T0).setFlow(List.of(Channel.SMS)).build()); // bizgo.sms = 3m
        h.statuses();
        h.advance(Duration.ofSeconds(31));
        assertThat(h.onlyStatus().getMsgKey()).isEqualTo("mk-17");
        h.advance(Duration.ofMinutes(3));
        assertThat(h.onlyStatus().getMsgKey()).isEqualTo("mk-18");
        h.assertNothingMoreEmitted();
    }

    @Test
    void settledDeliveriesArePurgedAfterRetentionSoTheStoreDoesNotGrow() {
        TopologyHarness h = start();
        h.send(acceptedSend("mk-19", T0).build());
        h.report(report("mk-19", Channel.ALIMTALK, "10000", T0.plusSeconds(1)).build());
        h.statuses();
        h.advance(Duration.ofHours(47));
        assertThat(h.stored("mk-19")).isNotNull();
        h.advance(Duration.ofHours(1).plusSeconds(2));
        assertThat(h.stored("mk-19")).isNull();
        assertThat(h.indexSize()).isZero();
        assertThat(h.metrics.phase(Phase.SETTLED)).isZero();
        h.assertNothingMoreEmitted();
    }

    @Test
    void aPoisonRecordGoesToDeadRecordsWithItsOriginAndTheStreamKeepsRunning() {
        TopologyHarness h = start();
        byte[] garbage = {7, 7, 7};
        h.rawSend("mk-20".getBytes(StandardCharsets.UTF_8), garbage, T0);
        List<TestRecord<byte[], byte[]>> dead = h.deadRecords();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).containsExactly(garbage);
        assertThat(header(dead.get(0), DeadRecordHeaders.TOPIC)).isEqualTo("delivery.sends");
        assertThat(header(dead.get(0), DeadRecordHeaders.PARTITION)).isEqualTo("0");
        assertThat(header(dead.get(0), DeadRecordHeaders.OFFSET)).isEqualTo("0");
        assertThat(header(dead.get(0), DeadRecordHeaders.STAGE)).isEqualTo("deserialize");
        assertThat(header(dead.get(0), DeadRecordHeaders.MESSAGE)).contains("magic byte");

        h.send(acceptedSend("mk-21", T0).build());
        assertThat(h.onlyStatus().getStatus()).isEqualTo(DeliveryState.PENDING);
        assertThat(h.metrics.deadRecords.get()).isEqualTo(1);
        h.assertNothingMoreEmitted();
    }

    @Test
    void aRecordKeyedByAnythingButItsMsgKeyIsADeadRecord() {
        TopologyHarness h = start();
        h.report(report("mk-22", Channel.ALIMTALK, "10000", T0).build()); // fine
        h.rawSend(null, new byte[]{0}, T0);
        List<TestRecord<byte[], byte[]>> dead = h.deadRecords();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadRecordHeaders.STAGE)).isEqualTo("deserialize");
        h.assertNothingMoreEmitted();
    }

    @Test
    void eachPunctuationHandlesABoundedNumberOfDueTimers() {
        TopologyHarness h = start(config(2), T0);
        for (int i = 0; i < 5; i++) {
            h.send(acceptedSend("mk-b" + i, T0).build());
        }
        h.statuses();
        h.advance(TIMEOUT.plusMillis(500)); // one punctuation sees all five due
        assertThat(h.statuses()).hasSize(2);
        h.advance(SECOND);
        assertThat(h.statuses()).hasSize(2);
        h.advance(SECOND);
        assertThat(h.statuses()).hasSize(1);
        h.advance(SECOND);
        h.assertNothingMoreEmitted();
    }

    /**
     * The app was down for an hour and restarts with a backlog: sends from T0 whose reports are further down the
     * backlog must not be flagged stuck, though the wall clock is far past their deadlines. A send whose report
     * really is missing is flagged once stream time passes its deadline.
     */
    @Test
    void noFalseStuckWhileCatchingUpABacklogAfterDowntime() {
        Instant restart = T0.plus(Duration.ofHours(1));
        TopologyHarness h = start(config(10_000), restart);
        h.send(acceptedSend("mk-back-1", T0).build());
        h.send(acceptedSend("mk-back-2", T0.plusSeconds(1)).build());
        h.advance(SECOND); // a punctuation while catching up: wall clock is 50 minutes past the deadlines
        assertThat(h.statuses()).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.PENDING, DeliveryState.PENDING);
        h.report(report("mk-back-1", Channel.ALIMTALK, "10000", T0.plus(Duration.ofMinutes(5))).build());
        h.advance(SECOND);
        DeliveryStatus sent = h.onlyStatus();
        assertThat(sent.getStatus()).isEqualTo(DeliveryState.SENT);
        assertThat(sent.getLate()).isFalse();

        // more backlog: stream time moves past mk-back-2's deadline (T0+10m+1s) without its report
        h.report(report("mk-other", Channel.ALIMTALK, "10000", T0.plus(Duration.ofMinutes(11))).build());
        h.advance(SECOND);
        DeliveryStatus stuck = h.onlyStatus();
        assertThat(stuck.getMsgKey()).isEqualTo("mk-back-2");
        assertThat(stuck.getStatus()).isEqualTo(DeliveryState.STUCK_PENDING);
        h.assertNothingMoreEmitted();
    }

    /**
     * Restart after a weekend down (longer than max-age), with the first punctuation before the first record of the
     * backlog: the overdue deliveries are neither STUCK_PENDING nor NO_REPORT; their reports further down the
     * backlog settle them as SENT. Only once the task has been idle for idle-after does the wall clock rule.
     */
    @Test
    void aPunctuationBeforeTheFirstRecordAfterAWeekendDownJudgesNothing() {
        TopologyHarness h = start(config(10_000), T0);
        h.send(acceptedSend("mk-weekend-1", T0).build());
        h.send(acceptedSend("mk-weekend-2", T0).build());
        assertThat(h.statuses()).hasSize(2);
        h.advance(SECOND);
        h.assertNothingMoreEmitted();

        h.restartAt(T0.plus(Duration.ofDays(3)));
        h.advance(SECOND); // the first punctuation, before any record of the backlog
        h.advance(SECOND);
        h.assertNothingMoreEmitted();
        h.report(report("mk-weekend-1", Channel.ALIMTALK, "10000", T0.plus(Duration.ofMinutes(1))).build());
        h.advance(SECOND);
        DeliveryStatus sent = h.onlyStatus();
        assertThat(sent.getMsgKey()).isEqualTo("mk-weekend-1");
        assertThat(sent.getStatus()).isEqualTo(DeliveryState.SENT);
        assertThat(sent.getLate()).isFalse();

        // the backlog is drained and mk-weekend-2's report never comes: after idle-after the wall clock rules
        h.advance(Duration.ofSeconds(10));
        assertThat(h.onlyStatus().getStatus()).isEqualTo(DeliveryState.STUCK_PENDING);
        h.advance(SECOND);
        DeliveryStatus expired = h.onlyStatus();
        assertThat(expired.getMsgKey()).isEqualTo("mk-weekend-2");
        assertThat(expired.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
        assertThat(expired.getClassification()).isEqualTo(Classification.NO_REPORT);
        h.assertNothingMoreEmitted();
    }

    /** A host whose clock runs an hour ahead writes one record; "now" still never passes this host's wall clock. */
    @Test
    void aRecordFromAFastClockDoesNotPushDeadlinesIntoTheFuture() {
        TopologyHarness h = start(config(10_000), T0);
        h.send(acceptedSend("mk-fast", T0).build());
        assertThat(h.statuses()).hasSize(1);
        h.report(report("mk-from-the-future", Channel.ALIMTALK, "10000", T0.plus(Duration.ofHours(1))).build());
        // then a backlog record, old enough to put the task in catching-up mode (stream time = the future record)
        h.send(acceptedSend("mk-old", T0.minus(Duration.ofMinutes(5))).build());
        h.advance(SECOND);
        assertThat(h.statuses()).as("no STUCK_PENDING for a delivery 1 s old").extracting(DeliveryStatus::getMsgKey, DeliveryStatus::getStatus)
                .containsExactly(tuple("mk-old", DeliveryState.PENDING));
        h.advance(TIMEOUT);
        h.advance(Duration.ofSeconds(10));
        assertThat(h.statuses()).extracting(DeliveryStatus::getMsgKey, DeliveryStatus::getStatus)
                .contains(tuple("mk-fast", DeliveryState.STUCK_PENDING));
    }

    @Test
    void onceCaughtUpAndIdleTheWallClockRulesAgain() {
        Instant restart = T0.plus(Duration.ofHours(1));
        TopologyHarness h = start(config(10_000), restart);
        h.send(acceptedSend("mk-idle", T0).build());
        h.advance(SECOND);
        assertThat(h.statuses()).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.PENDING);
        h.advance(Duration.ofSeconds(10)); // no more records: the backlog is drained, the task is idle
        assertThat(h.onlyStatus().getStatus()).isEqualTo(DeliveryState.STUCK_PENDING);
        h.assertNothingMoreEmitted();
    }

}
