package dev.deliverytracker.bench;

import java.util.Locale;

/** Prints "done / total, rate so far" at most once a second while a benchmark runs. */
final class Progress {

    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long lastPrint = started;

    Progress(String label, long total) {
        this.label = label;
        this.total = total;
    }

    void update(long done) {
        long now = System.nanoTime();
        if (now - lastPrint >= 1_000_000_000L || done >= total) {
            lastPrint = now;
            double seconds = (now - started) / 1e9;
            System.err.printf(Locale.ROOT, "  %s: %,d / %,d (%.0f/s)%n", label, done, total, done / Math.max(seconds, 1e-9));
        }
    }
}
