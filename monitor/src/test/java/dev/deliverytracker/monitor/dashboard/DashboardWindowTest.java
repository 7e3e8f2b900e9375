package dev.deliverytracker.monitor.dashboard;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardWindowTest {

    private static final long T0 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    @Test
    void badWindowsAreRefusedSayingWhatIsAccepted() {
        assertThat(DashboardWindow.parse(null)).isEqualTo(DashboardWindow.DEFAULT);
        assertThat(DashboardWindow.parse(" ")).isEqualTo(DashboardWindow.DEFAULT);
        assertThat(DashboardWindow.parse("24h").minutes()).isEqualTo(1_440);
        assertThat(DashboardWindow.parse("15m").minutes()).isEqualTo(15);
        assertThat(DashboardWindow.parse("1440m").minutes()).isEqualTo(1_440);
        for (String bad : List.of("25h", "0m", "1d", "-1h", "1.5h", "60", "1441m", "h", "99999999m")) {
            assertThatThrownBy(() -> DashboardWindow.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("window must be minutes or hours from 1m to 24h, such as 15m, 1h or 24h");
        }
    }

    @Test
    void aWindowCoversWholeMinutesIncludingTheOneInProgress() {
        DashboardWindow quarter = DashboardWindow.parse("15m");
        assertThat(quarter.lastMinute(T0 + 30 * MINUTE + 59_999)).isEqualTo(T0 + 30 * MINUTE);
        assertThat(quarter.firstMinute(T0 + 30 * MINUTE + 59_999)).isEqualTo(T0 + 16 * MINUTE);
    }

    @Test
    void theTilesReadTheWholeHoursInsideAWindowAndTheMinutesAroundThem() {
        DashboardWindow.Split day = DashboardWindow.parse("24h").exactSplit(T0 + 24 * HOUR + 5 * MINUTE + 30_000);
        assertThat(List.of(day.hoursFrom(), day.hoursTo())).containsExactly(T0 + HOUR, T0 + 23 * HOUR);
        assertThat(day.minuteRanges()).containsExactly(new long[] {T0 + 6 * MINUTE, T0 + 59 * MINUTE},
                new long[] {T0 + 24 * HOUR, T0 + 24 * HOUR + 5 * MINUTE});
        DashboardWindow.Split aligned = DashboardWindow.parse("1h").exactSplit(T0 + HOUR - 1);
        assertThat(List.of(aligned.hoursFrom(), aligned.hoursTo())).containsExactly(T0, T0);
        assertThat(aligned.minuteRanges()).isEmpty();
        DashboardWindow.Split twoHours = DashboardWindow.parse("2h").exactSplit(T0 + 2 * HOUR + 30 * MINUTE);
        assertThat(List.of(twoHours.hoursFrom(), twoHours.hoursTo())).containsExactly(T0 + HOUR, T0 + HOUR);
        assertThat(twoHours.minuteRanges()).containsExactly(new long[] {T0 + 31 * MINUTE, T0 + 59 * MINUTE},
                new long[] {T0 + 2 * HOUR, T0 + 2 * HOUR + 30 * MINUTE});
        DashboardWindow.Split quarter = DashboardWindow.parse("15m").exactSplit(T0 + 30 * MINUTE);
        assertThat(quarter.hoursFrom()).isEqualTo(-1);
        assertThat(quarter.minuteRanges()).containsExactly(new long[] {T0 + 16 * MINUTE, T0 + 30 * MINUTE});
    }

    @Test
    void aBreakdownReadsMinutesUpToAnHourAndWholeHoursBeyond() {
        DashboardWindow.Split day = DashboardWindow.parse("24h").split(T0 + 24 * HOUR + 5 * MINUTE + 30_000);
        assertThat(List.of(day.hoursFrom(), day.hoursTo())).containsExactly(T0 + HOUR, T0 + 24 * HOUR);
        assertThat(day.minuteRanges()).isEmpty();
        assertThat(DashboardWindow.parse("24h").breakdownFrom(T0 + 24 * HOUR + 5 * MINUTE)).isEqualTo(T0 + HOUR);
        DashboardWindow.Split ninety = DashboardWindow.parse("90m").split(T0 + 2 * HOUR + 30 * MINUTE);
        assertThat(List.of(ninety.hoursFrom(), ninety.hoursTo())).as("rounded up to two hours").containsExactly(T0 + HOUR, T0 + 2 * HOUR);
        DashboardWindow.Split hour = DashboardWindow.parse("1h").split(T0 + HOUR + 30 * MINUTE);
        assertThat(hour.hoursFrom()).isEqualTo(-1);
        assertThat(hour.minuteRanges()).containsExactly(new long[] {T0 + 31 * MINUTE, T0 + HOUR + 30 * MINUTE});
        DashboardWindow.Split quarter = DashboardWindow.parse("15m").split(T0 + 30 * MINUTE);
        assertThat(quarter.hoursFrom()).isEqualTo(-1);
        assertThat(quarter.minuteRanges()).containsExactly(new long[] {T0 + 16 * MINUTE, T0 + 30 * MINUTE});
    }
}
