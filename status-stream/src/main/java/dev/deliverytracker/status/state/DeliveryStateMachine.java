package dev.deliverytracker.status.state;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ChannelAttempt;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.state.Phase;
import dev.deliverytracker.state.TrackedDelivery;
import dev.deliverytracker.status.rules.StatusRules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-delivery state machine of docs/architecture.md (section 4, "State machine"), as pure functions: given what is
 * remembered about a delivery and one input (a send, a report, or a timer that came due), it returns the new state,
 * the status events to emit, and what to count. No Kafka here: the processor owns stores and forwarding.
 *
 * <p>Fallback flows: a send plans channels in order (ALIMTALK then SMS). A failed report on a channel that has a
 * later channel in the flow is not final: it emits a {@code FALLBACK} status (classification and code of the
 * failure) and the delivery keeps waiting, with its deadline extended by the next channel's timeout. Success on
 * any channel settles it as SENT through that channel; failure on the last channel settles it as DEAD_LETTER.
 * Every report received is in the final event's {@code attempts} history.
 *
 * <p>Times: record-driven transitions use the record's own time (acceptedAt, receivedAt); timers use the caller's
 * notion of "now" (stream time while catching up, wall clock when live; see {@code StreamClock}).
 */
public final class DeliveryStateMachine {

    /** The result of one input. {@code next == null} means: forget the delivery. */
    public record Transition(TrackedDelivery next, List<DeliveryStatus> emitted, int duplicates, int contradictions) {
        static Transition of(TrackedDelivery next, List<DeliveryStatus> emitted) {
            return new Transition(next, emitted, 0, 0);
        }
    }

    private final StatusRules rules;

    public DeliveryStateMachine(StatusRules rules) {
        this.rules = rules;
    }

    /** A send event for {@code key}; {@code current} is null when nothing is known yet. */
    public Transition onSend(String key, TrackedDelivery current, SendEvent send) {
        long at = send.getAcceptedAt().toEpochMilli();
        if (current != null && current.getSendSeen()) {
            boolean contradicts = current.getOutcome() != send.getOutcome();
            current.setDuplicates(current.getDuplicates() + 1);
            if (contradicts) {
                current.setContradictions(current.getContradictions() + 1);
            }
            return new Transition(current, List.of(), 1, contradicts ? 1 : 0);
        }
        TrackedDelivery d = current != null ? current : start(key);
        adoptSend(d, send);
        List<DeliveryStatus> out = new ArrayList<>();
        if (send.getOutcome() == SendOutcome.REJECTED) {
            d.getAttempts().addAll(d.getHeld());
            d.getHeld().clear();
            settle(d, DeliveryState.DEAD_LETTER, Classification.REJECTED, send.getProviderCode(),
                    send.getProviderMessage(), firstChannel(d), at, out);
            return Transition.of(d, out);
        }
        boolean wasUnmatched = d.getPhase() == Phase.UNMATCHED;
        List<ChannelAttempt> held = List.copyOf(d.getHeld());
        d.getHeld().clear();
        d.setPhase(Phase.PENDING);
        d.setWasStuck(d.getWasStuck() || wasUnmatched);
        d.setDeadline(at + timeoutMillis(d, firstChannel(d)));
        if (rules.emitPending()) {
            emit(d, DeliveryState.PENDING, null, d.getSendCode(), d.getSendText(), null, at, out);
        }
        int duplicates = 0;
        int contradictions = 0;
        for (ChannelAttempt report : held) {
            Transition t = applyReport(d, report);
            out.addAll(t.emitted());
            duplicates += t.duplicates();
            contradictions += t.contradictions();
        }
        return new Transition(d, out, duplicates, contradictions);
    }

    /** A provider report for {@code key}; {@code current} is null when nothing is known yet. */
    public Transition onReport(String key, TrackedDelivery current, ProviderReport report) {
        ChannelAttempt attempt = new ChannelAttempt(report.getChannel(), report.getReportCode(), report.getReportText(),
                rules.classifier().classify(report.getProvider(), report.getReportCode()), report.getReceivedAt());
        if (current == null) {
            TrackedDelivery d = start(key);
            d.setProvider(report.getProvider());
            d.setPhase(Phase.ORPHAN);
            d.getHeld().add(attempt);
            d.setDeadline(millis(attempt) + rules.orphanGrace().toMillis());
            return Transition.of(d, List.of());
        }
        if (!current.getSendSeen()) {
            if (contains(current.getHeld(), attempt)) {
                current.setDuplicates(current.getDuplicates() + 1);
                return new Transition(current, List.of(), 1, 0);
            }
            current.getHeld().add(attempt);
            return Transition.of(current, List.of());
        }
        return applyReport(current, attempt);
    }

    /** The delivery's timer came due at {@code now} (its deadline is at or before now). */
    public Transition onTimer(TrackedDelivery d, long now) {
        List<DeliveryStatus> out = new ArrayList<>();
        switch (d.getPhase()) {
            case PENDING -> {
                d.setPhase(Phase.STUCK);
                d.setWasStuck(true);
                emit(d, DeliveryState.STUCK_PENDING, null, null, null, lastChannel(d), now, out);
                d.setDeadline(Math.max(d.getAcceptedAt() + rules.maxAge().toMillis(), now + 1));
            }
            case STUCK -> settle(d, DeliveryState.DEAD_LETTER, Classification.NO_REPORT, null,
                    "no delivery report within " + rules.maxAge(), lastChannel(d), now, out);
            case ORPHAN -> {
                ChannelAttempt last = d.getHeld().get(d.getHeld().size() - 1);
                d.setPhase(Phase.UNMATCHED);
                emit(d, DeliveryState.UNMATCHED_REPORT, last.getClassification(), last.getCode(), last.getText(), last.getChannel(), now, out);
                d.setDeadline(now + rules.settledRetention().toMillis());
            }
            case UNMATCHED, SETTLED -> {
                return Transition.of(null, List.of());
            }
            default -> throw new IllegalStateException("unknown phase " + d.getPhase());
        }
        return Transition.of(d, out);
    }

    private Transition applyReport(TrackedDelivery d, ChannelAttempt report) {
        if (contains(d.getAttempts(), report)) {
            d.setDuplicates(d.getDuplicates() + 1);
            return new Transition(d, List.of(), 1, 0);
        }
        d.getAttempts().add(report);
        boolean delivered = report.getClassification() == Classification.DELIVERED;
        if (d.getPhase() == Phase.SETTLED) {
            return absorbAfterSettlement(d, report, delivered);
        }
        List<DeliveryStatus> out = new ArrayList<>();
        if (delivered) {
            settle(d, DeliveryState.SENT, Classification.DELIVERED, report.getCode(), report.getText(), report.getChannel(),
                    millis(report), out);
        } else if (report.getClassification() == Classification.UNCERTAIN) {
            // the provider does not know yet: keep waiting, never call it delivered
            return Transition.of(d, out);
        } else {
            Channel next = nextChannel(d, report.getChannel());
            if (next != null) {
                emit(d, DeliveryState.FALLBACK, report.getClassification(), report.getCode(), report.getText(), report.getChannel(),
                        millis(report), out);
                if (d.getPhase() == Phase.PENDING) {
                    d.setDeadline(Math.max(d.getDeadline(), millis(report) + timeoutMillis(d, next)));
                }
            } else {
                settle(d, DeliveryState.DEAD_LETTER, report.getClassification(), report.getCode(), report.getText(),
                        report.getChannel(), millis(report), out);
            }
        }
        return Transition.of(d, out);
    }

    /**
     * A new report for a settled delivery emits nothing. It contradicts the settlement when it claims success
     * after DEAD_LETTER, or failure on the very channel that delivered; a failure on another channel of a SENT
     * delivery is an earlier fallback step arriving late and only joins the history.
     */
    private static Transition absorbAfterSettlement(TrackedDelivery d, ChannelAttempt report, boolean delivered) {
        boolean contradicts = d.getStatus() == DeliveryState.SENT
                ? !delivered && report.getChannel() == d.getChannel()
                : delivered;
        if (contradicts) {
            d.setContradictions(d.getContradictions() + 1);
            return new Transition(d, List.of(), 0, 1);
        }
        d.setDuplicates(d.getDuplicates() + 1);
        return new Transition(d, List.of(), 1, 0);
    }

    private void settle(TrackedDelivery d, DeliveryState status, Classification classification, String code, String text,
                        Channel channel, long at, List<DeliveryStatus> out) {
        d.setLate(d.getWasStuck());
        d.setPhase(Phase.SETTLED);
        emit(d, status, classification, code, text, channel, at, out);
        d.setDeadline(at + rules.settledRetention().toMillis());
    }

    private static void emit(TrackedDelivery d, DeliveryState status, Classification classification, String code,
                             String text, Channel channel, long at, List<DeliveryStatus> out) {
        DeliveryState previous = d.getStatus();
        d.setSequence(d.getSequence() + 1);
        d.setStatus(status);
        d.setClassification(classification);
        d.setCode(code);
        d.setText(text);
        d.setChannel(channel);
        d.setResolvedAt(at);
        Long acceptedAt = d.getSendSeen() ? d.getAcceptedAt() : null;
        out.add(DeliveryStatus.newBuilder()
                .setEventId(d.getMsgKey() + ":" + d.getSequence() + ":" + status)
                .setMsgKey(d.getMsgKey())
                .setStatus(status)
                .setPreviousStatus(previous)
                .setClassification(classification)
                .setCode(code)
                .setText(text)
                .setProvider(d.getProvider() == null ? "unknown" : d.getProvider())
                .setChannel(channel)
                .setFlow(List.copyOf(d.getFlow()))
                .setOrigin(d.getOrigin())
                .setTemplateCode(d.getTemplateCode())
                .setRequestId(d.getRequestId())
                .setRef(d.getRef())
                .setAcceptedAt(acceptedAt == null ? null : Instant.ofEpochMilli(acceptedAt))
                .setResolvedAt(Instant.ofEpochMilli(at))
                .setLatencyMillis(acceptedAt == null ? null : Math.max(0, at - acceptedAt))
                .setLate(d.getPhase() == Phase.SETTLED && d.getLate())
                .setDuplicateCount(d.getDuplicates())
                .setAttempts(List.copyOf(d.getAttempts())) // the state's own records: ChannelAttempt is immutable here
                .setRecipientMasked(d.getRecipientMasked())
                .build());
    }

    private void adoptSend(TrackedDelivery d, SendEvent send) {
        d.setSendSeen(true);
        d.setOutcome(send.getOutcome());
        d.setRequestId(send.getRequestId());
        d.setProvider(send.getProvider());
        d.setFlow(new ArrayList<>(send.getFlow()));
        d.setTemplateCode(send.getTemplateCode());
        d.setOrigin(send.getOrigin());
        d.setRecipientMasked(send.getRecipientMasked()); // masked by send-service: never the number itself
        d.setRef(send.getRef());
        d.setAcceptedAt(send.getAcceptedAt().toEpochMilli());
        d.setTimeoutMillis(send.getTimeoutMillis());
        d.setSendCode(send.getProviderCode());
        d.setSendText(send.getProviderMessage());
    }

    private long timeoutMillis(TrackedDelivery d, Channel channel) {
        Long own = d.getTimeoutMillis();
        if (own != null && own > 0) {
            return own;
        }
        return rules.timeouts().timeout(d.getProvider(), channel).toMillis();
    }

    /** The channel after {@code channel} in the flow, or null when it is the last (or not in the flow). */
    private static Channel nextChannel(TrackedDelivery d, Channel channel) {
        List<Channel> flow = d.getFlow();
        int index = flow.indexOf(channel);
        return index >= 0 && index + 1 < flow.size() ? flow.get(index + 1) : null;
    }

    private static Channel firstChannel(TrackedDelivery d) {
        return d.getFlow().isEmpty() ? null : d.getFlow().get(0);
    }

    private static Channel lastChannel(TrackedDelivery d) {
        List<ChannelAttempt> attempts = d.getAttempts();
        return attempts.isEmpty() ? firstChannel(d) : attempts.get(attempts.size() - 1).getChannel();
    }

    private static long millis(ChannelAttempt attempt) {
        return attempt.getReportedAt().toEpochMilli();
    }

    /** A report repeats one already received when it names the same channel and code. */
    private static boolean contains(List<ChannelAttempt> attempts, ChannelAttempt candidate) {
        for (ChannelAttempt a : attempts) {
            if (a.getChannel() == candidate.getChannel() && a.getCode().equals(candidate.getCode())) {
                return true;
            }
        }
        return false;
    }

    /** A delivery nothing is known of yet but its key. */
    static TrackedDelivery start(String key) {
        return TrackedDelivery.newBuilder().setMsgKey(key).setPhase(Phase.PENDING)
                .setFlow(new ArrayList<>()).setHeld(new ArrayList<>()).setAttempts(new ArrayList<>()).build();
    }
}
