package dev.deliverytracker.send.dispatch;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.send.privacy.RecipientHasher;
import dev.deliverytracker.send.record.SendRecorder;
import dev.deliverytracker.support.PhoneRedactor;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sends through the provider and records what it answered, before anyone is told: splits recipients into requests
 * the provider accepts, turns each accepted or refused recipient into a {@link SendEvent} (masked number, keyed hash),
 * and hands them to the {@link SendRecorder}. Nothing here ever says SENT: acceptance is not delivery.
 */
@Singleton
public class SendDispatcher {

    /**
     * The provider that was asked, the outcome of every recipient, in order, and where its send event went
     * ({@code null} for an outcome without an event: already accepted, unavailable); {@code tracking} is the worst of them.
     */
    public record Dispatched(String provider, List<RecipientOutcome> outcomes, List<SendRecorder.Tracking> trackingPerRecipient,
                             SendRecorder.Tracking tracking) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SendDispatcher.class);

    private final ProviderAdapters adapters;
    private final SendRecorder recorder;
    private final RecipientHasher hasher;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    public SendDispatcher(ProviderAdapters adapters, SendRecorder recorder, RecipientHasher hasher, MeterRegistry meters) {
        this.adapters = adapters;
        this.recorder = recorder;
        this.hasher = hasher;
        this.meters = meters;
    }

    /**
     * Gives each addressee its request id (our id of its send, the record key where the provider gives no msgKey), then
     * sends and records.
     *
     * @param idempotencyKey the provider-side key for the whole send; each request of a split send gets its own suffix
     */
    public Dispatched dispatch(OutgoingMessage message, List<Addressee> addressees, Optional<String> idempotencyKey) {
        List<Recipient> recipients = addressees.stream()
                .map(a -> new Recipient(a.to(), a.variables(), a.ref(), UUID.randomUUID().toString())).toList();
        ProviderAdapter adapter = adapters.find(message.provider())
                .orElseThrow(() -> new IllegalArgumentException("no provider adapter named " + message.provider()));
        int chunk = adapter.maxRecipientsPerRequest();
        int chunks = (recipients.size() + chunk - 1) / chunk;
        String templateCode = message.flow().stream().filter(s -> s.channel() == Channel.ALIMTALK)
                .map(FlowStep::templateCode).findFirst().orElse(null);
        List<Channel> flow = message.flow().stream().map(FlowStep::channel).toList();
        List<RecipientOutcome> outcomes = new ArrayList<>(recipients.size());
        List<SendEvent> events = new ArrayList<>();
        List<Integer> eventOf = new ArrayList<>(); // the index of the outcome each event belongs to
        for (int c = 0; c < chunks; c++) {
            List<Recipient> part = recipients.subList(c * chunk, Math.min(recipients.size(), (c + 1) * chunk));
            int index = c;
            Optional<String> key = idempotencyKey.map(k -> chunks == 1 ? k : k + "-" + index);
            List<ProviderAnswer> results;
            try {
                results = adapter.send(message, part, key);
            } catch (ProviderUnavailableException e) {
                LOG.warn("{} did not settle a send of {} recipient(s) for {}: {}", adapter.name(), part.size(), message.origin(), e.getMessage());
                count(adapter.name(), "unavailable", part.size());
                part.forEach(r -> outcomes.add(new RecipientOutcome.Unavailable(r.requestId(), e.getMessage(), e.outcomeUnknown())));
                continue;
            }
            Instant answeredAt = clock.instant();
            for (int i = 0; i < part.size(); i++) {
                Recipient recipient = part.get(i);
                ProviderAnswer result = results.get(i);
                if (result instanceof ProviderAnswer.Accepted accepted) {
                    eventOf.add(outcomes.size());
                    events.add(event(message, flow, templateCode, recipient, SendOutcome.ACCEPTED, accepted.msgKey(), accepted.code(), accepted.text(), answeredAt));
                    outcomes.add(new RecipientOutcome.Accepted(recipient.requestId(), accepted.msgKey()));
                    count(adapter.name(), accepted.duplicate() ? "duplicate" : "accepted", 1);
                } else if (result instanceof ProviderAnswer.Rejected rejected) {
                    eventOf.add(outcomes.size());
                    events.add(event(message, flow, templateCode, recipient, SendOutcome.REJECTED, null, rejected.code(), rejected.text(), answeredAt));
                    outcomes.add(new RecipientOutcome.Rejected(recipient.requestId(), rejected.code(), rejected.text()));
                    LOG.info("{} rejected request {} to {} from {}: {} {}", adapter.name(), recipient.requestId(),
                            recipient.to().masked(), message.origin(), rejected.code(), PhoneRedactor.redact(rejected.text()));
                    count(adapter.name(), "rejected", 1);
                } else if (result instanceof ProviderAnswer.AlreadyAccepted already) {
                    outcomes.add(new RecipientOutcome.AlreadyAccepted(recipient.requestId(), already.code()));
                    count(adapter.name(), "duplicate", 1);
                }
            }
        }
        SendRecorder.Recorded recorded = recorder.record(events);
        List<SendRecorder.Tracking> perRecipient = new ArrayList<>(Collections.nCopies(outcomes.size(), (SendRecorder.Tracking) null));
        for (int e = 0; e < events.size(); e++) {
            perRecipient.set(eventOf.get(e), recorded.perEvent().get(e));
        }
        return new Dispatched(adapter.name(), outcomes, perRecipient, recorded.overall());
    }

    private SendEvent event(OutgoingMessage message, List<Channel> flow, String templateCode, Recipient recipient,
                            SendOutcome outcome, String msgKey, String code, String text, Instant at) {
        return SendEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOutcome(outcome)
                .setMsgKey(msgKey)
                .setRequestId(recipient.requestId())
                .setProvider(message.provider())
                .setFlow(flow)
                .setTemplateCode(templateCode)
                .setRecipientMasked(recipient.to().masked())
                .setRecipientHash(hasher.hash(recipient.to()))
                .setOrigin(message.origin())
                .setRef(recipient.ref() != null ? recipient.ref() : message.ref())
                .setAcceptedAt(at)
                .setTimeoutMillis(message.timeout() == null ? null : message.timeout().toMillis())
                .setProviderCode(code)
                .setProviderMessage(PhoneRedactor.redact(text))
                .build();
    }

    private void count(String provider, String outcome, int n) {
        meters.counter("delivery.send.recipients", "provider", provider, "outcome", outcome).increment(n);
    }
}
