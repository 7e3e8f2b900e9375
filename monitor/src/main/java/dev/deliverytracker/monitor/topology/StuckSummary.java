package dev.deliverytracker.monitor.topology;

import java.util.ArrayList;
import java.util.List;

/** The deliveries of one provider and channel that are STUCK_PENDING now. */
final class StuckSummary {

    long count;
    long oldestSince = Long.MAX_VALUE;
    final List<String> samples = new ArrayList<>();

    void add(String msgKey, long since) {
        count++;
        if (since < oldestSince) {
            oldestSince = since;
            samples.add(0, msgKey);
        } else if (samples.size() < ActivityTracker.MAX_SAMPLES) {
            samples.add(msgKey);
        }
        if (samples.size() > ActivityTracker.MAX_SAMPLES) {
            samples.remove(samples.size() - 1);
        }
    }
}
