package dev.deliverytracker.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private final Backoff backoff = Backoff.of(5, Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void pausesDoubleUpToTheMaximumAndTheJitterSpreadsThemBothWays() {
        assertThat(backoff.pause(0, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.pause(1, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.pause(3, () -> 0.5)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.pause(4, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.pause(40, () -> 0.5)).as("no overflow for a long-running loop").isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.pause(1, () -> 0.0)).isEqualTo(Duration.ofMillis(160));
        assertThat(backoff.pause(1, () -> 0.999_999)).isEqualTo(Duration.ofMillis(239));
        assertThat(backoff.pause(4, () -> 0.999_999)).as("never above the maximum").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterReplacesThePauseButNotTheMaximum() {
        assertThat(backoff.pause(0, Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(700));
        assertThat(backoff.pause(0, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.pause(0, (Duration) null)).isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
    }

    @Test
    void retriesAreCountedAndTheWorstCaseIsTheSumOfTheLongestPauses() {
        assertThat(backoff.allows(0)).isTrue();
        assertThat(backoff.allows(4)).isTrue();
        assertThat(backoff.allows(5)).isFalse();
        // 120 + 240 + 480 + 960 + 1000 (capped)
        assertThat(backoff.worstCase()).isEqualTo(Duration.ofMillis(2_800));
        assertThat(Backoff.of(0, Duration.ZERO, Duration.ZERO).worstCase()).isZero();
        assertThatThrownBy(() -> Backoff.forever(Duration.ofMillis(1), Duration.ofSeconds(1)).worstCase())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFixedBackoffAlwaysWaitsTheSame() {
        Backoff fixed = Backoff.fixed(3, Duration.ofMillis(250));
        assertThat(fixed.pause(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(fixed.pause(2)).isEqualTo(Duration.ofMillis(250));
        assertThat(Backoff.forever(Duration.ofMillis(1), Duration.ofSeconds(1)).allows(1_000_000)).isTrue();
    }

    @Test
    void badSettingsAreRefusedSayingWhy() {
        assertThatThrownBy(() -> Backoff.of(-1, Duration.ZERO, Duration.ZERO)).hasMessageContaining("max retries");
        assertThatThrownBy(() -> Backoff.of(1, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("initial <= max");
        assertThatThrownBy(() -> new Backoff(1, Duration.ZERO, Duration.ZERO, 1.0)).hasMessageContaining("jitter");
    }
}
