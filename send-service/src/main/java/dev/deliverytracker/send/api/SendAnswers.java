package dev.deliverytracker.send.api;

import dev.deliverytracker.send.app.SendServiceProperties;
import dev.deliverytracker.send.dispatch.RecipientOutcome;
import dev.deliverytracker.send.dispatch.SendDispatcher.Dispatched;
import dev.deliverytracker.send.record.SendRecorder.Tracking;
import dev.deliverytracker.support.Problem;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the producer is told about a dispatched send: one message's status and body (202, 422, 409, 503), or a batch's
 * per-recipient results (200). Whether the answer may be replayed for its Idempotency-Key is decided here too: an
 * answer a retry should not get back (untracked, unavailable) is marked so.
 */
@Singleton
public class SendAnswers {

    private final String statusBaseUrl;

    @Inject
    public SendAnswers(SendServiceProperties properties) {
        this(properties.statusBaseUrl());
    }

    public SendAnswers(String statusBaseUrl) {
        this.statusBaseUrl = statusBaseUrl.replaceAll("/+$", "");
    }

    /** A single message's answer. */
    public SendAnswer single(Dispatched dispatched) {
        RecipientOutcome outcome = dispatched.outcomes().get(0);
        Map<String, String> headers = trackingHeaders(dispatched.tracking());
        // An UNTRACKED send is not remembered: a retry with the same key reaches the provider again, which answers its
        // duplicate with the msgKey, and records it this time (docs/architecture.md, D5).
        boolean remember = dispatched.tracking() != Tracking.UNTRACKED;
        if (outcome instanceof RecipientOutcome.Accepted accepted) {
            String statusUrl = statusUrl(accepted.msgKey());
            Map<String, String> withLocation = new LinkedHashMap<>(headers);
            withLocation.put("Location", statusUrl);
            String tracking = dispatched.tracking().name();
            return SendAnswer.json(HttpStatus.ACCEPTED, new MessageAccepted(accepted.msgKey(), accepted.requestId(), "PENDING",
                    statusUrl, tracking, MessageAccepted.warningFor(tracking)), withLocation).withRemember(remember);
        }
        if (outcome instanceof RecipientOutcome.Rejected rejected) {
            return SendAnswer.problem(HttpStatus.UNPROCESSABLE_ENTITY, new ProviderProblem("urn:delivery-tracker:problem:provider-rejected",
                    "The provider refused the message", 422,
                    "The provider answered " + rejected.providerCode() + ": " + rejected.providerMessage()
                            + ". Recorded as a rejected send (DEAD_LETTER); fix the request before sending again.",
                    dispatched.provider(), rejected.providerCode(), rejected.providerMessage(), rejected.requestId()), headers)
                    .withRemember(remember);
        }
        if (outcome instanceof RecipientOutcome.AlreadyAccepted already) {
            return SendAnswer.problem(HttpStatus.CONFLICT, "already-accepted", "Already accepted",
                    "The provider accepted a request with this Idempotency-Key before (" + already.providerCode()
                            + ") and did not repeat its msgKey; it is tracked under the first request's msgKey. Look it up by your ref.");
        }
        RecipientOutcome.Unavailable unavailable = (RecipientOutcome.Unavailable) outcome;
        return SendAnswer.problem(HttpStatus.SERVICE_UNAVAILABLE, new Problem("urn:delivery-tracker:problem:provider-unavailable",
                "The provider is unavailable", 503, unavailable.detail(), null), Map.of("Retry-After", "5"));
    }

    /** A batch's answer: 200 with one item per recipient, in order. */
    public SendAnswer batch(Dispatched dispatched) {
        List<BatchAnswer.Item> items = new ArrayList<>();
        String tracking = dispatched.tracking().name();
        int accepted = 0;
        int rejected = 0;
        int unavailable = 0;
        for (int i = 0; i < dispatched.outcomes().size(); i++) {
            RecipientOutcome outcome = dispatched.outcomes().get(i);
            if (outcome instanceof RecipientOutcome.Accepted a) {
                accepted++;
                items.add(new BatchAnswer.Item(i, 202, a.requestId(), a.msgKey(), statusUrl(a.msgKey()), null, null, trackingOf(dispatched, i)));
            } else if (outcome instanceof RecipientOutcome.Rejected r) {
                rejected++;
                items.add(new BatchAnswer.Item(i, 422, r.requestId(), null, null, r.providerCode(), r.providerMessage(), trackingOf(dispatched, i)));
            } else if (outcome instanceof RecipientOutcome.AlreadyAccepted a) {
                accepted++;
                items.add(new BatchAnswer.Item(i, 409, a.requestId(), null, null, a.providerCode(), "accepted earlier under this Idempotency-Key", null));
            } else if (outcome instanceof RecipientOutcome.Unavailable u) {
                unavailable++;
                items.add(new BatchAnswer.Item(i, 503, u.requestId(), null, null, null, u.detail(), null));
            }
        }
        BatchAnswer body = new BatchAnswer(accepted, rejected, unavailable, tracking, MessageAccepted.warningFor(tracking), items);
        // A batch with unavailable recipients, or whose events nothing recorded, is not remembered, so its retry
        // reaches the provider again (which repeats the msgKeys of its duplicates) and records them.
        return SendAnswer.json(HttpStatus.OK, body, trackingHeaders(dispatched.tracking()))
                .withRemember(unavailable == 0 && dispatched.tracking() != Tracking.UNTRACKED);
    }

    private static String trackingOf(Dispatched dispatched, int index) {
        Tracking tracking = dispatched.trackingPerRecipient().get(index);
        return tracking == null ? null : tracking.name();
    }

    private static Map<String, String> trackingHeaders(Tracking tracking) {
        return tracking == Tracking.RECORDED ? Map.of() : Map.of("X-Delivery-Tracking", tracking.name().toLowerCase(Locale.ROOT));
    }

    private String statusUrl(String msgKey) {
        return statusBaseUrl + "/v1/deliveries/" + msgKey;
    }
}
