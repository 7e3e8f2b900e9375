package dev.deliverytracker.status.topology;

import dev.deliverytracker.status.metrics.DeliveryMetrics.ClockMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** "Now" for deadlines, with liveLag 30 s and idleAfter 10 s, a task started at wall time 1,000,000. */
class StreamClockTest {

    private static final long START = 1_000_000;
    private final StreamClock clock = new StreamClock(Duration.ofSeconds(30), Duration.ofSeconds(10), START);

    @Test
    void beforeItsFirstRecordATaskJudgesNothingUntilIdleAfterThenFollowsTheWallClock() {
        assertThat(clock.mode(START + 9_999)).isEqualTo(ClockMode.WAITING);
        assertThat(clock.now(START + 9_999)).isNegative();
        assertThat(clock.mode(START + 10_000)).isEqualTo(ClockMode.WALL_CLOCK);
        assertThat(clock.now(START + 10_000)).isEqualTo(START + 10_000);
    }

    @Test
    void onABacklogNowIsStreamTimeAndWhenTheInputGoesQuietItIsTheWallClock() {
        clock.observe(START - 3_600_000, START + 100); // an hour old when processed: catching up
        assertThat(clock.mode(START + 200)).isEqualTo(ClockMode.STREAM_TIME);
        assertThat(clock.now(START + 200)).isEqualTo(START - 3_600_000);
        clock.observe(START - 3_500_000, START + 300);
        assertThat(clock.now(START + 400)).isEqualTo(START - 3_500_000);
        assertThat(clock.mode(START + 300 + 10_000)).as("no record for idle-after: caught up").isEqualTo(ClockMode.WALL_CLOCK);
        assertThat(clock.now(START + 300 + 10_000)).isEqualTo(START + 10_300);
    }

    @Test
    void freshRecordsMeanLiveAndNowIsTheWallClock() {
        clock.observe(START + 95, START + 100);
        assertThat(clock.mode(START + 150)).isEqualTo(ClockMode.WALL_CLOCK);
        assertThat(clock.now(START + 150)).isEqualTo(START + 150);
    }

    @Test
    void nowNeverRunsBackwardsNorPassesTheWallClock() {
        clock.observe(START + 100, START + 100); // live
        assertThat(clock.now(START + 500)).isEqualTo(START + 500);
        clock.observe(START - 60_000, START + 600); // an old record arrives: back to stream time, which is behind
        assertThat(clock.now(START + 700)).as("never backwards").isEqualTo(START + 500);

        StreamClock ahead = new StreamClock(Duration.ofSeconds(30), Duration.ofSeconds(10), START);
        ahead.observe(START + 3_600_000, START + 100); // a producer whose clock runs an hour ahead
        assertThat(ahead.now(START + 200)).as("never past the wall clock").isLessThanOrEqualTo(START + 200);
    }
}
