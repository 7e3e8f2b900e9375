package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.AlertRule;
import dev.deliverytracker.events.AlertSeverity;
import dev.deliverytracker.events.AlertState;
import dev.deliverytracker.events.DeliveryAlert;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateThrottleTest {

    private static final Instant T0 = Instant.parse("2026-12-02T03:00:00Z");

    private static DeliveryAlert alert(String fingerprint, int sequence, AlertState state, long count) {
        return DeliveryAlert.newBuilder().setEventId(fingerprint + "-" + sequence).setFingerprint(fingerprint).setSequence(sequence)
                .setRule(AlertRule.ACCOUNT_FAILURE).setSeverity(AlertSeverity.CRITICAL).setState(state)
                .setLabels(Map.of("provider", "bizgo")).setSummary("s").setDescription("d").setValue(count).setThreshold(1)
                .setCount(count).setStartsAt(T0).setUpdatedAt(T0).build();
    }

    @Test
    void stateChangesPassAtOnceAndUpdatesWaitForTheGroupInterval() {
        UpdateThrottle throttle = new UpdateThrottle(Duration.ofMinutes(5));
        DeliveryAlert firing = alert("fp1", 1, AlertState.FIRING, 1);
        assertThat(throttle.due(List.of(firing), T0)).containsExactly(firing);
        throttle.notified(List.of(firing), T0);

        DeliveryAlert grew = alert("fp1", 2, AlertState.FIRING, 22);
        DeliveryAlert other = alert("fp2", 1, AlertState.FIRING, 1);
        assertThat(throttle.due(List.of(grew, other), T0.plusSeconds(30))).as("an update within the interval waits; a new alert does not")
                .containsExactly(other);
        assertThat(throttle.due(List.of(grew), T0.plus(Duration.ofMinutes(5)))).containsExactly(grew);

        DeliveryAlert resolved = alert("fp1", 3, AlertState.RESOLVED, 22);
        assertThat(throttle.due(List.of(resolved), T0.plusSeconds(31))).as("resolving is a state change").containsExactly(resolved);
        throttle.notified(List.of(resolved), T0.plusSeconds(31));
        DeliveryAlert again = alert("fp1", 4, AlertState.FIRING, 1);
        assertThat(throttle.due(List.of(again), T0.plusSeconds(32))).as("firing again is a state change").containsExactly(again);
    }
}
