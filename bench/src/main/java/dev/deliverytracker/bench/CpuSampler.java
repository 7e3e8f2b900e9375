package dev.deliverytracker.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Where the two cores go, slice by slice: CPU seconds per second of this JVM (the services under test and the load
 * generator), of the broker's JVM, and of the threads whose name contains a marker (status-stream's stream threads);
 * and the time this JVM spent compiling (JIT) and collecting garbage, in milliseconds per second. Each {@link #row} is
 * the difference to the previous one.
 */
final class CpuSampler {

    private final BenchBroker broker;
    private final String threadMarker;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Snapshot last;

    private record Snapshot(long wall, long process, long broker, long marked, long jitMs, long gcMs) {
    }

    CpuSampler(BenchBroker broker, String threadMarker) {
        this.broker = broker;
        this.threadMarker = threadMarker;
        this.last = snapshot();
    }

    static String header() {
        return "| t (s) | benchmark JVM (services + load), cores | of which the stream thread | broker JVM, cores "
                + "| JIT compiling, ms/s | GC, ms/s |\n| ---: | ---: | ---: | ---: | ---: | ---: |";
    }

    /** The slice since the previous row, labelled {@code second}. */
    String row(long second) {
        Snapshot now = snapshot();
        double wall = (now.wall() - last.wall()) / 1e9;
        String row = String.format(Locale.ROOT, "| %d | %.2f | %.2f | %s | %.0f | %.0f |", second,
                (now.process() - last.process()) / 1e9 / wall, (now.marked() - last.marked()) / 1e9 / wall,
                now.broker() < 0 ? "(in the JVM)" : String.format(Locale.ROOT, "%.2f", (now.broker() - last.broker()) / 1e9 / wall),
                (now.jitMs() - last.jitMs()) / wall, (now.gcMs() - last.gcMs()) / wall);
        last = now;
        return row;
    }

    private Snapshot snapshot() {
        long marked = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(threadMarker)) {
                marked += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        long gc = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, collector.getCollectionTime());
        }
        return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), broker.cpuNanos(), marked,
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gc);
    }
}
