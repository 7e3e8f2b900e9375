package dev.deliverytracker.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where the two cores go, slice by slice: CPU seconds per second of this JVM (the load generator, and the services
 * that run inside it), of the threads in it whose name contains a marker (status-stream's stream threads), and of
 * other JVMs (the broker, services in their own JVMs); and the time this JVM spent compiling (JIT) and collecting
 * garbage, in milliseconds per second. Each {@link #row} is the difference to the previous one.
 */
final class CpuSampler {

    private final String threadMarker;
    private final Map<String, LongSupplier> otherJvms;
    
    private Snapshot last;

    private record Snapshot(long wall, long process, long marked, List<Long> others, long jitMs, long gcMs) {
    }

    /** {@code otherJvms}: a column per JVM, its CPU nanoseconds so far (negative: not measurable, shown as "-"). */
    CpuSampler(String threadMarker, Map<String, LongSupplier> otherJvms) {
        this.threadMarker = threadMarker;
        this.otherJvms = new LinkedHashMap<>(otherJvms);
        this.last = snapshot();
    }

    String header() {
        StringBuilder header = new StringBuilder("| t (s) | benchmark JVM, cores | of which threads named *" + threadMarker + "* |");
        StringBuilder rule = new StringBuilder("| ---: | ---: | ---: |");
        otherJvms.keySet().forEach(name -> {
            header.append(' ').append(name).append(" JVM, cores |");
            rule.append(" ---: |");
        });
        return header + " JIT compiling (benchmark JVM), ms/s | GC (benchmark JVM), ms/s |\n" + rule + " ---: | ---: |";
    }

    /** The slice since the previous row, labelled {@code second}. */
    String row(long second) {
        Snapshot now = snapshot();
        double wall = (now.wall() - last.wall()) / 1e9;
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %.2f | %.2f |", second,
                (now.process() - last.process()) / 1e9 / wall, (now.marked() - last.marked()) / 1e9 / wall));
        for (int i = 0; i < now.others().size(); i++) {
            long before = last.others().get(i);
            long after = now.others().get(i);
            row.append(before < 0 || after < 0 ? " - |" : String.format(Locale.ROOT, " %.2f |", (after - before) / 1e9 / wall));
        }
        row.append(String.format(Locale.ROOT, " %.0f | %.0f |", (now.jitMs() - last.jitMs()) / wall, (now.gcMs() - last.gcMs()) / wall));
        last = now;
        return row.toString();
    }

    private Snapshot snapshot() {
                long marked = CpuTimes.threads(name -> name.contains(threadMarker));
        long gc = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, collector.getCollectionTime());
        }
        List<Long> others = new ArrayList<>();
        otherJvms.values().forEach(cpu -> others.add(cpu.getAsLong()));
        return new Snapshot(System.nanoTime(), CpuTimes.process(), marked, others,
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gc);
    }
}
