package dev.deliverytracker.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one benchmark by name and prints a markdown table row set for docs/benchmarks.md.
 *
 * <pre>
 *   ./mvnw -q install -DskipTests
 *   ./mvnw -q -pl bench exec:exec -Dbench=throughput     # status-stream vs a pass-through Streams app
 *   ./mvnw -q -pl bench exec:exec -Dbench=punctuation    # punctuation cost and state size with 1M pending
 *   ./mvnw -q -pl bench exec:exec -Dbench=webhook        # webhook-ingest vs the same server without Kafka (needs wrk)
 *   ./mvnw -q -pl bench exec:exec -Dbench=send           # send-service vs calling the fake Bizgo directly (needs wrk)
 *   ./mvnw -q -pl bench exec:exec -Dbench=stuck          # deadline → STUCK_PENDING lateness vs the hop's own latency
 *   ./mvnw -q -pl bench exec:exec -Dbench=e2e            # webhook answered → SENT readable, at 1,000 reports/s
 *   ./mvnw -q -pl bench exec:exec -Dbench=alert          # first failing report answered → alert notification received
 *   ./mvnw -q -pl bench exec:exec -Dbench=recovery       # restart / restore / fail-over with 1M deliveries of state
 *   ./mvnw -q -pl bench exec:exec -Dbench=dashboard      # the dashboard's JSON queries over a day of 1M deliveries
 *   ./mvnw -q -pl bench exec:exec -Dbench=collectors     # SENS and Aligo result collection: calls per settled message, lag, 10,000 in flight
 * </pre>
 */
public final class Bench {

    private static final Map<String, Runnable> BENCHMARKS = Map.of(
            "throughput", ThroughputBench::run,
            "punctuation", PunctuationBench::run,
            "webhook", WebhookBench::run,
            "send", SendBench::run,
            "stuck", StuckLatenessBench::run,
            "e2e", EndToEndBench::run,
            "alert", AlertLatencyBench::run,
            "recovery", RecoveryBench::run,
            "dashboard", DashboardBench::run,
            "collectors", CollectorBench::run);

    /** Logback's own start-up status lines, which it prints to stdout when several logback.xml are on the class path. */
    private static final java.util.regex.Pattern LOGBACK_STATUS = java.util.regex.Pattern.compile("^\\d\\d:\\d\\d:\\d\\d,\\d+ \\|-");

    private Bench() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "";
        Runnable bench = BENCHMARKS.get(name);
        if (bench == null) {
            System.err.println("usage: Bench <" + String.join("|", BENCHMARKS.keySet()) + ">");
            System.exit(2);
        }
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(new TeeOutputStream(console, table), true, StandardCharsets.UTF_8));
        Instant started = Instant.now();
        bench.run();
        System.out.flush();
        System.setOut(console);
        Path written = writeResult(name, started, table.toString(StandardCharsets.UTF_8));
        System.err.println("written to " + written + " (copy the figures into docs/benchmarks.md with what they mean)");
        System.exit(0);
    }

    /** docs/bench-results/NAME.md: the table, the machine it ran on, when, and the exact command. */
    private static Path writeResult(String name, Instant started, String table) {
        Path dir = Path.of(System.getProperty("bench.results", "../docs/bench-results"));
        Runtime runtime = Runtime.getRuntime();
        String machine = String.format(Locale.ROOT, "%d cores, %d MiB max heap, %s %s, %s %s (%s)",
                runtime.availableProcessors(), runtime.maxMemory() / (1024 * 1024),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
        String text = "# Benchmark `" + name + "`\n\n"
                + "- ran: " + started + "\n"
                + "- machine: " + machine + "\n"
                + "- command: `./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:exec -Dbench=" + name
                + (options().isEmpty() ? "" : " -DbenchOpts=\"" + options() + "\"") + "`"
                + "\n\n" + table.lines().filter(line -> !LOGBACK_STATUS.matcher(line).find())
                        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".md");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + dir, e);
        }
    }

    /** The benchmark JVM's own options (what -DbenchOpts passed), without the heap size. */
    private static String options() {
        return String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-Xmx")).toList());
    }

    /** Writes to two streams: the console and the captured table. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
