package dev.deliverytracker.status.topology;

import dev.deliverytracker.status.metrics.DeliveryMetrics;

import java.time.Duration;

/**
 * Decides what "now" means for deadlines in one task (docs/architecture.md, D3: no false alarms after a restart).
 *
 * <p>While the task is catching up on a backlog, the records it reads are old: measuring deadlines against the wall
 * clock would flag every send whose report is still further down the backlog. So:
 * <ul>
 *   <li><b>catching up</b> (the last record was processed recently, and it was older than {@code liveLag} when it
 *       was processed): now = stream time, the largest record timestamp seen;</li>
 *   <li><b>live</b> (the last record was fresh when processed) or <b>idle</b> (no record for {@code idleAfter}):
 *       now = the wall clock.</li>
 * </ul>
 * Both bounds come from configuration. Before its first record a task knows nothing about its input: it may be
 * about to read a weekend of backlog, so for {@code idleAfter} after it started it judges nothing ("now" stays
 * where it was), and only then counts as idle. "Now" never passes the wall clock (a host whose clock runs ahead
 * cannot push deadlines into the future for good), and never runs backwards.
 */
final class StreamClock {

    private final long liveLagMillis;
    private final long idleAfterMillis;
    private long streamTime = Long.MIN_VALUE;
    private long lastRecordWallTime = Long.MIN_VALUE;
    private long lastRecordLag = Long.MAX_VALUE;
    private long lastNow = Long.MIN_VALUE;
    private final long startedAt;

    /** @param startedAt wall time the task started */
    StreamClock(Duration liveLag, Duration idleAfter, long startedAt) {
        this.liveLagMillis = liveLag.toMillis();
        this.idleAfterMillis = idleAfter.toMillis();
        this.startedAt = startedAt;
    }

    /** A record with timestamp {@code recordTime} was processed at wall time {@code wallTime}. */
    void observe(long recordTime, long wallTime) {
        streamTime = Math.max(streamTime, recordTime);
        lastRecordWallTime = wallTime;
        lastRecordLag = wallTime - recordTime;
    }

    /** The time to compare deadlines with, at wall time {@code wallTime}. */
    long now(long wallTime) {
        if (isWaitingForFirstRecord(wallTime)) {
            return lastNow;
        }
        long candidate = Math.min(isCatchingUp(wallTime) ? streamTime : wallTime, wallTime);
        lastNow = Math.max(lastNow, candidate);
        return lastNow;
    }

    /** No record yet, and started less than {@code idleAfter} ago: too early to tell a quiet input from a backlog. */
    boolean isWaitingForFirstRecord(long wallTime) {
        return lastRecordWallTime == Long.MIN_VALUE && wallTime - startedAt < idleAfterMillis;
    }

    DeliveryMetrics.ClockMode mode(long wallTime) {
        if (isWaitingForFirstRecord(wallTime)) {
            return DeliveryMetrics.ClockMode.WAITING;
        }
        return isCatchingUp(wallTime) ? DeliveryMetrics.ClockMode.STREAM_TIME : DeliveryMetrics.ClockMode.WALL_CLOCK;
    }

    boolean isCatchingUp(long wallTime) {
        boolean idle = lastRecordWallTime == Long.MIN_VALUE || wallTime - lastRecordWallTime >= idleAfterMillis;
        return !idle && lastRecordLag > liveLagMillis;
    }
}
