package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.monitor.state.WindowBucket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The sum of a subject's time buckets over a window, built while scanning them oldest first. */
final class WindowTotals {

    long settled;
    long failed;
    long unmatched;
    final Map<String, Long> codes = new HashMap<>();
    final Map<String, String> codeTexts = new HashMap<>();
    List<String> samples = new ArrayList<>();

    void add(WindowBucket b) {
        settled += b.getSettled();
        failed += b.getFailed();
        unmatched += b.getUnmatched();
        b.getCodes().forEach((code, n) -> codes.merge(code, n, Long::sum));
        codeTexts.putAll(b.getCodeTexts());
        // buckets come oldest first: a newer bucket's samples go in front
        List<String> next = new ArrayList<>(b.getSamples());
        for (String s : samples) {
            if (next.size() >= ActivityTracker.MAX_SAMPLES) {
                break;
            }
            if (!next.contains(s)) {
                next.add(s);
            }
        }
        samples = next;
    }

    double failureRate() {
        return settled == 0 ? 0 : (double) failed / settled;
    }

    /** The code most seen among the failures, or null. */
    String topCode() {
        return codes.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(null);
    }
}
