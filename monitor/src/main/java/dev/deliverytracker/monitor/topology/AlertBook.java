package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.events.AlertState;
import dev.deliverytracker.events.DeliveryAlert;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * Turns rule verdicts into alert state changes, given the last event of each fingerprint: FIRING when a condition
 * starts to hold, RESOLVED when it stops, and a FIRING update when the count of a firing alert has at least doubled
 * (and grown by {@value #MATERIAL_GROWTH} or more). Nothing else is emitted: re-evaluating the same state is silent,
 * which is what makes a restart (state restored from the changelog) emit no duplicates.
 */
final class AlertBook {

    static final long MATERIAL_GROWTH = 10;

    private final String lookupBaseUrl;

    AlertBook(String lookupBaseUrl) {
        this.lookupBaseUrl = lookupBaseUrl;
    }

    /**
     * @param stored    the fingerprint's last event, or null
     * @param inhibited true when a more important alert already covers this one (an account failure of the same provider)
     * @return the event to emit, or null
     */
    DeliveryAlert decide(Candidate c, DeliveryAlert stored, boolean inhibited, long now) {
        boolean firing = stored != null && stored.getState() == AlertState.FIRING;
        if (!firing) {
            if (!c.active() || inhibited) {
                return null;
            }
            return event(c, stored, AlertState.FIRING, Math.min(c.since(), now), null, now);
        }
        if (!c.active()) {
            return event(c, stored, AlertState.RESOLVED, stored.getStartsAt().toEpochMilli(), now, now);
        }
        if (c.count() >= 2 * stored.getCount() && c.count() - stored.getCount() >= MATERIAL_GROWTH) {
            return event(c, stored, AlertState.FIRING, stored.getStartsAt().toEpochMilli(), null, now);
        }
        return null;
    }

    /** A firing alert whose subject is no longer observed at all (its window emptied): resolved with its last numbers. */
    DeliveryAlert resolveGone(DeliveryAlert stored, long now) {
        return DeliveryAlert.newBuilder(stored)
                .setEventId(stored.getFingerprint() + "-" + (stored.getSequence() + 1))
                .setSequence(stored.getSequence() + 1)
                .setState(AlertState.RESOLVED)
                .setSummary("Resolved: " + stored.getSummary())
                .setDescription("Nothing more was observed for this alert's subject within its window, so it no longer holds. "
                        + "Last known: " + stored.getDescription())
                .setEndsAt(Instant.ofEpochMilli(now))
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
    }

    private DeliveryAlert event(Candidate c, DeliveryAlert stored, AlertState state, long startsAt, Long endsAt, long now) {
        String fingerprint = c.fingerprint();
        int sequence = stored == null ? 1 : stored.getSequence() + 1;
        return DeliveryAlert.newBuilder()
                .setEventId(fingerprint + "-" + sequence)
                .setFingerprint(fingerprint)
                .setSequence(sequence)
                .setRule(c.rule())
                .setSeverity(c.severity())
                .setState(state)
                .setLabels(new LinkedHashMap<>(c.labels()))
                .setSummary(c.summary())
                .setDescription(c.description())
                .setValue(c.value())
                .setThreshold(c.threshold())
                .setCount(c.count())
                .setTotal(c.total())
                .setCode(c.code())
                .setCodeText(c.codeText())
                .setSampleMsgKeys(new ArrayList<>(c.samples()))
                .setStartsAt(Instant.ofEpochMilli(startsAt))
                .setEndsAt(endsAt == null ? null : Instant.ofEpochMilli(endsAt))
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .setLookupUrl(c.samples().isEmpty() || lookupBaseUrl.isEmpty() ? null
                        : lookupBaseUrl + "/v1/deliveries/" + URLEncoder.encode(c.samples().get(0), StandardCharsets.UTF_8))
                .build();
    }
}
