package dev.deliverytracker.bench;

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
 *   ./mvnw -q -pl bench exec:exec -Dbench=recovery       # restart / restore / fail-over with 1M deliveries of state
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
            "recovery", RecoveryBench::run);

    private Bench() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "";
        Runnable bench = BENCHMARKS.get(name);
        if (bench == null) {
            System.err.println("usage: Bench <" + String.join("|", BENCHMARKS.keySet()) + ">");
            System.exit(2);
        }
        bench.run();
        System.exit(0);
    }
}
