package dev.deliverytracker.status.state;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.state.Phase;
import dev.deliverytracker.state.TrackedDelivery;
import dev.deliverytracker.status.rules.StatusRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.rejectedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The state machine alone, no Kafka: each transition's new state, deadline and emitted statuses, with the documented
 * defaults (10 min timeout, 24 h max age, 2 min grace, 48 h retention).
 */
class DeliveryStateMachineTest {

    private static final Instant T0 = Instant.parse("2026-12-01T01:00:00Z");
    private static final long T0_MS = T0.toEpochMilli();

    private final StatusRules rules = StatusRules.defaults();
    private final DeliveryStateMachine machine = new DeliveryStateMachine(rules);

    @Test
    void anAcceptedSendIsPendingUntilItsTimeoutAndEmitsPending() {
        DeliveryStateMachine.Transition t = machine.onSend("mk-1", null, acceptedSend("mk-1", T0).build());
        TrackedDelivery d = t.next();
        assertThat(d.getPhase()).isEqualTo(Phase.PENDING);
        assertThat(d.getDeadline()).isEqualTo(T0_MS + Duration.ofMinutes(10).toMillis());
        assertThat(t.emitted()).extracting(DeliveryStatus::getStatus, DeliveryStatus::getEventId, DeliveryStatus::getPreviousStatus)
                .containsExactly(tuple(DeliveryState.PENDING, "mk-1:1:PENDING", null));
        assertThat(t.duplicates()).isZero();
    }

    @Test
    void withoutEmitPendingAnAcceptedSendEmitsNothingButIsStillTracked() {
        StatusRules quiet = new StatusRules(rules.timeouts(), rules.classifier(), rules.maxAge(), rules.orphanGrace(),
                rules.settledRetention(), false);
        DeliveryStateMachine.Transition t = new DeliveryStateMachine(quiet).onSend("mk-q", null, acceptedSend("mk-q", T0).build());
        assertThat(t.emitted()).isEmpty();
        assertThat(t.next().getPhase()).isEqualTo(Phase.PENDING);
    }

    @Test
    void aSendsOwnTimeoutWinsOverTheConfiguredOne() {
        TrackedDelivery d = machine.onSend("mk-t", null, acceptedSend("mk-t", T0).setTimeoutMillis(30_000L).build()).next();
        assertThat(d.getDeadline()).isEqualTo(T0_MS + 30_000);
    }

    @Test
    void aRejectedSendSettlesAsDeadLetterRejectedAtOnce() {
        DeliveryStateMachine.Transition t = machine.onSend("req-9", null, rejectedSend("req-9", T0, "A325", "no permission").build());
        assertThat(t.next().getPhase()).isEqualTo(Phase.SETTLED);
        assertThat(t.next().getDeadline()).isEqualTo(T0_MS + Duration.ofHours(48).toMillis());
        assertThat(t.emitted()).extracting(DeliveryStatus::getStatus, DeliveryStatus::getClassification, DeliveryStatus::getCode)
                .containsExactly(tuple(DeliveryState.DEAD_LETTER, Classification.REJECTED, "A325"));
    }

    @Test
    void aFailedAlimTalkFallsBackToSmsExtendsTheDeadlineAndSmsDeliveredSettlesSent() {
        TrackedDelivery d = machine.onSend("mk-f", null, acceptedSend("mk-f", T0).build()).next();
        Instant failedAt = T0.plusSeconds(300);
        DeliveryStateMachine.Transition fallback = machine.onReport("mk-f", d, report("mk-f", Channel.ALIMTALK, "23001", failedAt).build());
        assertThat(fallback.emitted()).extracting(DeliveryStatus::getStatus, DeliveryStatus::getChannel, DeliveryStatus::getClassification)
                .containsExactly(tuple(DeliveryState.FALLBACK, Channel.ALIMTALK, Classification.PERMANENT_FAILURE));
        assertThat(fallback.next().getPhase()).isEqualTo(Phase.PENDING);
        assertThat(fallback.next().getDeadline()).as("the SMS gets its own timeout from the failure")
                .isEqualTo(failedAt.toEpochMilli() + Duration.ofMinutes(10).toMillis());

        Instant deliveredAt = T0.plusSeconds(320);
        DeliveryStateMachine.Transition sent = machine.onReport("mk-f", fallback.next(), report("mk-f", Channel.SMS, "10000", deliveredAt).build());
        DeliveryStatus status = sent.emitted().get(0);
        assertThat(sent.emitted()).hasSize(1);
        assertThat(status.getStatus()).isEqualTo(DeliveryState.SENT);
        assertThat(status.getPreviousStatus()).isEqualTo(DeliveryState.FALLBACK);
        assertThat(status.getChannel()).isEqualTo(Channel.SMS);
        assertThat(status.getLatencyMillis()).isEqualTo(320_000L);
        assertThat(status.getAttempts()).extracting(a -> a.getChannel(), a -> a.getCode())
                .containsExactly(tuple(Channel.ALIMTALK, "23001"), tuple(Channel.SMS, "10000"));
        assertThat(status.getLate()).isFalse();
        assertThat(sent.next().getPhase()).isEqualTo(Phase.SETTLED);
    }

    @Test
    void aFailureOnTheLastChannelSettlesDeadLetterWithItsClassification() {
        TrackedDelivery d = machine.onSend("mk-d", null, acceptedSend("mk-d", T0).build()).next();
        d = machine.onReport("mk-d", d, report("mk-d", Channel.ALIMTALK, "23001", T0.plusSeconds(5)).build()).next();
        DeliveryStateMachine.Transition t = machine.onReport("mk-d", d, report("mk-d", Channel.SMS, "23001", T0.plusSeconds(9)).build());
        assertThat(t.emitted()).extracting(DeliveryStatus::getStatus, DeliveryStatus::getClassification)
                .containsExactly(tuple(DeliveryState.DEAD_LETTER, Classification.PERMANENT_FAILURE));
    }

    @Test
    void anUncertainReportKeepsWaitingAndIsNeverCalledDelivered() {
        TrackedDelivery d = machine.onSend("mk-u", null, acceptedSend("mk-u", T0).build()).next();
        long deadline = d.getDeadline();
        DeliveryStateMachine.Transition t = machine.onReport("mk-u", d, report("mk-u", Channel.ALIMTALK, "99999", T0.plusSeconds(5)).build());
        assertThat(t.emitted()).isEmpty();
        assertThat(t.next().getPhase()).isEqualTo(Phase.PENDING);
        assertThat(t.next().getDeadline()).isEqualTo(deadline);
    }

    @Test
    void aRepeatedReportOrSendIsADuplicateAndChangesNothingElse() {
        TrackedDelivery d = machine.onSend("mk-r", null, acceptedSend("mk-r", T0).build()).next();
        d = machine.onReport("mk-r", d, report("mk-r", Channel.ALIMTALK, "10000", T0.plusSeconds(5)).build()).next();
        DeliveryStateMachine.Transition again = machine.onReport("mk-r", d, report("mk-r", Channel.ALIMTALK, "10000", T0.plusSeconds(6)).build());
        assertThat(again.emitted()).isEmpty();
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.contradictions()).isZero();
        DeliveryStateMachine.Transition resend = machine.onSend("mk-r", again.next(), acceptedSend("mk-r", T0).build());
        assertThat(resend.emitted()).isEmpty();
        assertThat(resend.duplicates()).isEqualTo(1);
        assertThat(resend.next().getDuplicates()).isEqualTo(2);
    }

    @Test
    void successAfterDeadLetterOrFailureOnTheDeliveringChannelContradictsButALateFallbackStepDoesNot() {
        TrackedDelivery dead = machine.onSend("mk-c", null, acceptedSend("mk-c", T0).build()).next();
        dead = machine.onReport("mk-c", dead, report("mk-c", Channel.ALIMTALK, "23001", T0.plusSeconds(1)).build()).next();
        dead = machine.onReport("mk-c", dead, report("mk-c", Channel.SMS, "23001", T0.plusSeconds(2)).build()).next();
        DeliveryStateMachine.Transition claim = machine.onReport("mk-c", dead, report("mk-c", Channel.SMS, "10000", T0.plusSeconds(3)).build());
        assertThat(claim.emitted()).isEmpty();
        assertThat(claim.contradictions()).isEqualTo(1);
        assertThat(claim.next().getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);

        TrackedDelivery sentBySms = machine.onSend("mk-s", null, acceptedSend("mk-s", T0).build()).next();
        sentBySms = machine.onReport("mk-s", sentBySms, report("mk-s", Channel.SMS, "10000", T0.plusSeconds(1)).build()).next();
        DeliveryStateMachine.Transition lateStep = machine.onReport("mk-s", sentBySms,
                report("mk-s", Channel.ALIMTALK, "23001", T0.plusSeconds(2)).build());
        assertThat(lateStep.contradictions()).isZero();
        assertThat(lateStep.duplicates()).isEqualTo(1);
        assertThat(lateStep.next().getAttempts()).hasSize(2);
    }

    @Test
    void aReportBeforeItsSendIsHeldThenAppliedWhenTheSendArrives() {
        DeliveryStateMachine.Transition orphan = machine.onReport("mk-o", null, report("mk-o", Channel.ALIMTALK, "10000", T0).build());
        assertThat(orphan.emitted()).isEmpty();
        assertThat(orphan.next().getPhase()).isEqualTo(Phase.ORPHAN);
        assertThat(orphan.next().getDeadline()).isEqualTo(T0_MS + Duration.ofMinutes(2).toMillis());
        assertThat(orphan.next().getHeld()).hasSize(1);

        DeliveryStateMachine.Transition joined = machine.onSend("mk-o", orphan.next(), acceptedSend("mk-o", T0.minusSeconds(1)).build());
        assertThat(joined.emitted()).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.PENDING, DeliveryState.SENT);
        assertThat(joined.next().getHeld()).isEmpty();
        assertThat(joined.next().getPhase()).isEqualTo(Phase.SETTLED);
    }

    @Test
    void timersMovePendingToStuckToDeadLetterAndOrphanToUnmatchedThenForget() {
        TrackedDelivery d = machine.onSend("mk-x", null, acceptedSend("mk-x", T0).build()).next();
        long due = d.getDeadline();
        DeliveryStateMachine.Transition stuck = machine.onTimer(d, due);
        assertThat(stuck.emitted()).extracting(DeliveryStatus::getStatus).containsExactly(DeliveryState.STUCK_PENDING);
        assertThat(stuck.next().getPhase()).isEqualTo(Phase.STUCK);
        assertThat(stuck.next().getDeadline()).isEqualTo(T0_MS + Duration.ofHours(24).toMillis());

        DeliveryStateMachine.Transition expired = machine.onTimer(stuck.next(), stuck.next().getDeadline());
        assertThat(expired.emitted()).extracting(DeliveryStatus::getStatus, DeliveryStatus::getClassification, DeliveryStatus::getLate)
                .containsExactly(tuple(DeliveryState.DEAD_LETTER, Classification.NO_REPORT, true));
        assertThat(machine.onTimer(expired.next(), expired.next().getDeadline()).next()).as("forgotten after retention").isNull();

        TrackedDelivery orphan = machine.onReport("mk-y", null, report("mk-y", Channel.ALIMTALK, "10000", T0).build()).next();
        DeliveryStateMachine.Transition unmatched = machine.onTimer(orphan, orphan.getDeadline());
        assertThat(unmatched.emitted()).extracting(DeliveryStatus::getStatus, DeliveryStatus::getProvider)
                .containsExactly(tuple(DeliveryState.UNMATCHED_REPORT, "bizgo"));
        assertThat(unmatched.next().getPhase()).isEqualTo(Phase.UNMATCHED);
    }

    @Test
    void aStuckDeliveryThatIsThenDeliveredIsSentAndMarkedLate() {
        TrackedDelivery d = machine.onSend("mk-l", null, acceptedSend("mk-l", T0).build()).next();
        d = machine.onTimer(d, d.getDeadline()).next();
        DeliveryStateMachine.Transition t = machine.onReport("mk-l", d, report("mk-l", Channel.ALIMTALK, "10000", T0.plusSeconds(900)).build());
        assertThat(t.emitted()).extracting(DeliveryStatus::getStatus, DeliveryStatus::getLate, DeliveryStatus::getPreviousStatus)
                .containsExactly(tuple(DeliveryState.SENT, true, DeliveryState.STUCK_PENDING));
    }
}
