package dev.deliverytracker.status.state;

/** Where a tracked delivery is in its life; each phase has at most one timer in the deadline index. */
public enum Phase {
    /** Accepted, waiting for a report; timer: the report deadline (then STUCK). */
    PENDING,
    /** STUCK_PENDING was emitted, still waiting; timer: the maximum age (then DEAD_LETTER / NO_REPORT). */
    STUCK,
    /** Reports arrived before the send; timer: the end of the grace period (then UNMATCHED_REPORT). */
    ORPHAN,
    /** UNMATCHED_REPORT was emitted; a late send still resolves it; timer: end of retention (then purged). */
    UNMATCHED,
    /** SENT or DEAD_LETTER was emitted; duplicates are absorbed; timer: end of retention (then purged). */
    SETTLED
}
