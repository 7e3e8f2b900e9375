package dev.deliverytracker.status.state;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ChannelAttempt;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.status.rules.StatusRules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-delivery state machine of architecture.md ("Per-delivery state"), as pure functions: given what is
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
        if (current != null && current.sendSeen) {
            boolean contradicts = current.outcome != send.getOutcome();
            current.duplicates++;
            if (contradicts) {
                current.contradictions++;
            }
            return new Transition(current, List.of(), 1, contradicts ? 1 : 0);
        }
        TrackedDelivery d = current != null ? current : TrackedDelivery.start(key);
        adoptSend(d, send);
        List<DeliveryStatus> out = new ArrayList<>();
        if (send.getOutcome() == SendOutcome.REJECTED) {
            d.attempts.addAll(d.held);
            d.held.clear();
            settle(d, DeliveryState.DEAD_LETTER, Classification.REJECTED, send.getProviderCode(),
                    send.getProviderMessage(), d.flow.isEmpty() ? null : d.flow.get(0), at, out);
            return Transition.of(d, out);
        }
        boolean wasUnmatched = d.phase == Phase.UNMATCHED;
        List<Attempt> held = List.copyOf(d.held);
        d.held.clear();
        d.phase = Phase.PENDING;
        d.wasStuck = d.wasStuck || wasUnmatched;
        d.deadline = at + timeoutMillis(d, d.flow.isEmpty() ? null : d.flow.get(0));
        if (rules.emitPending()) {
            emit(d, DeliveryState.PENDING, null, d.sendCode, d.sendText, null, at, out);
        }
        int duplicates = 0;
        int contradictions = 0;
        for (Attempt report : held) {
            Transition t = applyReport(d, report);
            out.addAll(t.emitted());
            duplicates += t.duplicates();
            contradictions += t.contradictions();
        }
        return new Transition(d, out, duplicates, contradictions);
    }

    /** A provider report for {@code key}; {@code current} is null when nothing is known yet. */
    public Transition onReport(String key, TrackedDelivery current, ProviderReport report) {
        Attempt attempt = new Attempt(report.getChannel(), report.getReportCode(), report.getReportText(),
                rules.classifier().classify(report.getProvider(), report.getReportCode()),
                report.getReceivedAt().toEpochMilli());
        if (current == null) {
            TrackedDelivery d = TrackedDelivery.start(key);
            d.provider = report.getProvider();
            d.phase = Phase.ORPHAN;
            d.held.add(attempt);
            d.deadline = attempt.reportedAt() + rules.orphanGrace().toMillis();
            return Transition.of(d, List.of());
        }
        if (!current.sendSeen) {
            if (contains(current.held, attempt)) {
                current.duplicates++;
                return new Transition(current, List.of(), 1, 0);
            }
            current.held.add(attempt);
            return Transition.of(current, List.of());
        }
        return applyReport(current, attempt);
    }

    /** The delivery's timer came due at {@code now} (its deadline is at or before now). */
    public Transition onTimer(TrackedDelivery d, long now) {
        List<DeliveryStatus> out = new ArrayList<>();
        switch (d.phase) {
            case PENDING -> {
                d.phase = Phase.STUCK;
                d.wasStuck = true;
                emit(d, DeliveryState.STUCK_PENDING, null, null, null, lastChannel(d), now, out);
                d.deadline = Math.max(d.acceptedAt + rules.maxAge().toMillis(), now + 1);
            }
            case STUCK -> settle(d, DeliveryState.DEAD_LETTER, Classification.NO_REPORT, null,
                    "no delivery report within " + rules.maxAge(), lastChannel(d), now, out);
            case ORPHAN -> {
                Attempt last = d.held.get(d.held.size() - 1);
                d.phase = Phase.UNMATCHED;
                emit(d, DeliveryState.UNMATCHED_REPORT, last.classification(), last.code(), last.text(), last.channel(), now, out);
                d.deadline = now + rules.settledRetention().toMillis();
            }
            case UNMATCHED, SETTLED -> {
                return Transition.of(null, List.of());
            }
            default -> throw new IllegalStateException("unknown phase " + d.phase);
        }
        return Transition.of(d, out);
    }

    private Transition applyReport(TrackedDelivery d, Attempt report) {
        if (contains(d.attempts, report)) {
            d.duplicates++;
            return new Transition(d, List.of(), 1, 0);
        }
        d.attempts.add(report);
        boolean delivered = report.classification() == Classification.DELIVERED;
        if (d.phase == Phase.SETTLED) {
            return absorbAfterSettlement(d, report, delivered);
        }
        List<DeliveryStatus> out = new ArrayList<>();
        if (delivered) {
            settle(d, DeliveryState.SENT, Classification.DELIVERED, report.code(), report.text(), report.channel(),
                    report.reportedAt(), out);
        } else if (report.classification() == Classification.UNCERTAIN) {
            // the provider does not know yet: keep waiting, never call it delivered
            return Transition.of(d, out);
        } else {
            Channel next = nextChannel(d, report.channel());
            if (next != null) {
                emit(d, DeliveryState.FALLBACK, report.classification(), report.code(), report.text(), report.channel(),
                        report.reportedAt(), out);
                if (d.phase == Phase.PENDING) {
                    d.deadline = Math.max(d.deadline, report.reportedAt() + timeoutMillis(d, next));
                }
            } else {
                settle(d, DeliveryState.DEAD_LETTER, report.classification(), report.code(), report.text(),
                        report.channel(), report.reportedAt(), out);
            }
        }
        return Transition.of(d, out);
    }

    /**
     * A new report for a settled delivery emits nothing. It contradicts the settlement when it claims success
     * after DEAD_LETTER, or failure on the very channel that delivered; a failure on another channel of a SENT
     * delivery is an earlier fallback step arriving late and only joins the history.
     */
    private static Transition absorbAfterSettlement(TrackedDelivery d, Attempt report, boolean delivered) {
        boolean contradicts = d.status == DeliveryState.SENT
                ? !delivered && report.channel() == d.channel
                : delivered;
        if (contradicts) {
            d.contradictions++;
            return new Transition(d, List.of(), 0, 1);
        }
        d.duplicates++;
        return new Transition(d, List.of(), 1, 0);
    }

    private void settle(TrackedDelivery d, DeliveryState status, Classification classification, String code, String text,
                        Channel channel, long at, List<DeliveryStatus> out) {
        d.late = d.wasStuck;
        d.phase = Phase.SETTLED;
        emit(d, status, classification, code, text, channel, at, out);
        d.deadline = at + rules.settledRetention().toMillis();
    }

    private static void emit(TrackedDelivery d, DeliveryState status, Classification classification, String code,
                             String text, Channel channel, long at, List<DeliveryStatus> out) {
        DeliveryState previous = d.status;
        d.sequence++;
        d.status = status;
        d.classification = classification;
        d.code = code;
        d.text = text;
        d.channel = channel;
        d.resolvedAt = at;
        List<ChannelAttempt> history = new ArrayList<>(d.attempts.size());
        for (Attempt a : d.attempts) {
            history.add(new ChannelAttempt(a.channel(), a.code(), a.text(), a.classification(), Instant.ofEpochMilli(a.reportedAt())));
        }
        out.add(DeliveryStatus.newBuilder()
                .setEventId(d.msgKey + ":" + d.sequence + ":" + status)
                .setMsgKey(d.msgKey)
                .setStatus(status)
                .setPreviousStatus(previous)
                .setClassification(classification)
                .setCode(code)
                .setText(text)
                .setProvider(d.provider == null ? "unknown" : d.provider)
                .setChannel(channel)
                .setFlow(List.copyOf(d.flow))
                .setOrigin(d.origin)
                .setTemplateCode(d.templateCode)
                .setRequestId(d.requestId)
                .setRef(d.ref)
                .setAcceptedAt(d.sendSeen ? Instant.ofEpochMilli(d.acceptedAt) : null)
                .setResolvedAt(Instant.ofEpochMilli(at))
                .setLatencyMillis(d.sendSeen ? Math.max(0, at - d.acceptedAt) : null)
                .setLate(d.phase == Phase.SETTLED && d.late)
                .setDuplicateCount(d.duplicates)
                .setAttempts(history)
                .build());
    }

    private void adoptSend(TrackedDelivery d, SendEvent send) {
        d.sendSeen = true;
        d.outcome = send.getOutcome();
        d.requestId = send.getRequestId();
        d.provider = send.getProvider();
        d.flow = new ArrayList<>(send.getFlow());
        d.templateCode = send.getTemplateCode();
        d.origin = send.getOrigin();
        d.ref = send.getRef();
        d.acceptedAt = send.getAcceptedAt().toEpochMilli();
        d.timeoutMillis = send.getTimeoutMillis() == null ? TrackedDelivery.NONE : send.getTimeoutMillis();
        d.sendCode = send.getProviderCode();
        d.sendText = send.getProviderMessage();
    }

    private long timeoutMillis(TrackedDelivery d, Channel channel) {
        if (d.timeoutMillis > 0) {
            return d.timeoutMillis;
        }
        return rules.timeouts().timeout(d.provider, channel).toMillis();
    }

    /** The channel after {@code channel} in the flow, or null when it is the last (or not in the flow). */
    private static Channel nextChannel(TrackedDelivery d, Channel channel) {
        int index = d.flow.indexOf(channel);
        return index >= 0 && index + 1 < d.flow.size() ? d.flow.get(index + 1) : null;
    }

    private static Channel lastChannel(TrackedDelivery d) {
        if (!d.attempts.isEmpty()) {
            return d.attempts.get(d.attempts.size() - 1).channel();
        }
        return d.flow.isEmpty() ? null : d.flow.get(0);
    }

    private static boolean contains(List<Attempt> attempts, Attempt candidate) {
        for (Attempt a : attempts) {
            if (a.channel() == candidate.channel() && a.code().equals(candidate.code())) {
                return true;
            }
        }
        return false;
    }
}
