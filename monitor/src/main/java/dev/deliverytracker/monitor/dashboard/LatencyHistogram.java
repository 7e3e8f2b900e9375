package dev.deliverytracker.monitor.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Accepted-to-delivered times counted in fixed buckets, so minutes can be added up and a percentile read from the
 * sum. A percentile is reported as the upper bound of the bucket it falls in ("at most"), never interpolated: the
 * answer is exact about what it claims. The bounds are part of the stored state; changing them needs a migration.
 */
public final class LatencyHistogram {

    /** Upper bounds in milliseconds; one more bucket counts everything longer. */
    static final long[] BOUNDS_MS = {100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000,
            20_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000};

    private final long[] counts = new long[BOUNDS_MS.length + 1];

    /** The bucket a latency falls in. */
    static int bucketOf(long millis) {
        for (int i = 0; i < BOUNDS_MS.length; i++) {
            if (millis <= BOUNDS_MS[i]) {
                return i;
            }
        }
        return BOUNDS_MS.length;
    }

    /** A stored minute's counts, with as many buckets as today's bounds (missing ones are zero). */
    static List<Long> increment(List<Long> stored, long millis) {
        List<Long> counts = new ArrayList<>(stored);
        while (counts.size() < BOUNDS_MS.length + 1) {
            counts.add(0L);
        }
        int bucket = bucketOf(Math.max(0, millis));
        counts.set(bucket, counts.get(bucket) + 1);
        return counts;
    }

    void add(List<Long> stored) {
        for (int i = 0; i < stored.size() && i < counts.length; i++) {
            counts[i] += stored.get(i);
        }
    }

    /** The counts per bucket, as a share carries them to be added up ({@link #add}). */
    List<Long> counts() {
        List<Long> list = new ArrayList<>(counts.length);
        for (long count : counts) {
            list.add(count);
        }
        return list;
    }

    long total() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    /**
     * The upper bound (ms) of the bucket holding the {@code percentile}-th value, null without values; beyond the last
     * bound, -1 (longer than an hour).
     */
    Long percentile(double percentile) {
        long total = total();
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return i < BOUNDS_MS.length ? BOUNDS_MS[i] : -1L;
            }
        }
        return -1L;
    }
}
