package dev.deliverytracker.status.topology;

import java.time.Duration;

/**
 * Decides what "now" means for deadlines in one task (architecture.md, decision 3: no false alarms after a restart).
 *
 * <p>While the task is catching up on a backlog, the records it reads are old: measuring deadlines against the wall
 * clock would flag every send whose report is still further down the backlog. So:
 * <ul>
 *   <li><b>catching up</b> (the last record was processed recently, and it was older than {@code liveLag} when it
 *       was processed): now = stream time, the largest record timestamp seen;</li>
 *   <li><b>live</b> (the last record was fresh when processed) or <b>idle</b> (no record for {@code idleAfter}):
 *       now = the wall clock.</li>
 * </ul>
 * Both bounds come from configuration. The clock never runs backwards: "now" is at least what it was before.
 */
final class StreamClock {

    private final long liveLagMillis;
    private final long idleAfterMillis;
    private long streamTime = Long.MIN_VALUE;
    private long lastRecordWallTime = Long.MIN_VALUE;
    private long lastRecordLag = Long.MAX_VALUE;
    private long lastNow = Long.MIN_VALUE;

    StreamClock(Duration liveLag, Duration idleAfter) {
        this.liveLagMillis = liveLag.toMillis();
        this.idleAfterMillis = idleAfter.toMillis();
    }

    /** A record with timestamp {@code recordTime} was processed at wall time {@code wallTime}. */
    void observe(long recordTime, long wallTime) {
        streamTime = Math.max(streamTime, recordTime);
        lastRecordWallTime = wallTime;
        lastRecordLag = wallTime - recordTime;
    }

    /** The time to compare deadlines with, at wall time {@code wallTime}. */
    long now(long wallTime) {
        long candidate = isCatchingUp(wallTime) ? streamTime : wallTime;
        lastNow = Math.max(lastNow, candidate);
        return lastNow;
    }

    boolean isCatchingUp(long wallTime) {
        boolean idle = lastRecordWallTime == Long.MIN_VALUE || wallTime - lastRecordWallTime >= idleAfterMillis;
        return !idle && lastRecordLag > liveLagMillis;
    }
}
