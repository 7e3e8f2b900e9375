package dev.deliverytracker.monitor.dashboard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * What a reader has made of each bucket (a minute's chart point, an hour's breakdown rows), kept with the bucket's
 * version ({@link DashboardStores#VERSIONS}): a query re-reads only the buckets changed since, in one key range from
 * the first changed to the last, so a 24 h chart or breakdown reads the minute or hour in progress, not the day. A
 * bucket's value is never changed once kept; a change of the partitions this instance holds forgets everything.
 * Safe for concurrent queries (two may read the same bucket; either result is right).
 */
final class BucketCache<T> {

    private record Kept<T>(long version, T value) {
    }

    private final ConcurrentHashMap<Long, Kept<T>> buckets = new ConcurrentHashMap<>();
    private volatile Set<Integer> partitions = Set.of();

    /**
     * @param partitions the partitions this instance holds now
     * @param starts     the buckets wanted, oldest first
     * @param versions   the current version of each bucket that has one (a bucket without one is empty)
     * @param load       reads the buckets from the first start to the last (inclusive): start → value; a bucket missing
     *                   from its answer is empty
     * @param oldest     buckets before this start are forgotten
     * @return start → value for each wanted bucket that is not empty
     */
    Map<Long, T> get(Set<Integer> partitions, List<Long> starts, Map<Long, Long> versions, BiFunction<Long, Long, Map<Long, T>> load,
                     long oldest) {
        if (!partitions.equals(this.partitions)) {
            buckets.clear();
            this.partitions = Set.copyOf(partitions);
        }
        buckets.keySet().removeIf(start -> start < oldest);
        long firstChanged = Long.MAX_VALUE;
        long lastChanged = Long.MIN_VALUE;
        Map<Long, T> answer = new HashMap<>();
        for (long start : starts) {
            Long version = versions.get(start);
            if (version == null) {
                continue;
            }
            Kept<T> kept = buckets.get(start);
            if (kept != null && kept.version() == version) {
                answer.put(start, kept.value());
            } else {
                firstChanged = Math.min(firstChanged, start);
                lastChanged = Math.max(lastChanged, start);
            }
        }
        if (firstChanged <= lastChanged) {
            Map<Long, T> loaded = load.apply(firstChanged, lastChanged);
            for (long start : starts) {
                Long version = versions.get(start);
                if (version != null && start >= firstChanged && start <= lastChanged) {
                    T value = loaded.get(start);
                    if (value != null) {
                        // the version was read before the bucket: a change in between shows as a newer version next time
                        buckets.put(start, new Kept<>(version, value));
                        answer.put(start, value);
                    }
                }
            }
        }
        return answer;
    }
}
