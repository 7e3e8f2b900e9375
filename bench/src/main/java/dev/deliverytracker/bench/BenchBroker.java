package dev.deliverytracker.bench;

import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broker a benchmark runs against. By default it runs the way users run Kafka: in its own JVM, a child process
 * started from the same Kafka jars ({@link ChildProcess}), so its threads and garbage collection are not the code under
 * test's. {@code -Dbroker=in-jvm} keeps the older variant (the broker inside the benchmark's JVM) for comparison.
 */
interface BenchBroker extends AutoCloseable {

    String bootstrapServers();

    /** What to print in the results: where the broker runs. */
    String describe();

    /** CPU time the broker's own JVM has used so far, in nanoseconds; -1 when it shares this JVM. */
    default long cpuNanos() {
        return -1;
    }

    default void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            EmbeddedKafkaBroker.createTopic(admin, name, partitions, Map.of());
        }
    }

    @Override
    void close();

    /** {@code -Dbroker=process} (default) or {@code -Dbroker=in-jvm}. */
    static BenchBroker start() {
        String mode = System.getProperty("broker", "process");
        return switch (mode) {
            case "process" -> ChildProcess.start();
            case "in-jvm" -> new InJvm(EmbeddedKafkaBroker.builder().build().start());
            default -> throw new IllegalArgumentException("-Dbroker=" + mode + ": expected process or in-jvm");
        };
    }

    /** The broker inside this JVM. */
    record InJvm(EmbeddedKafkaBroker broker) implements BenchBroker {
        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public String describe() {
            return "one broker in the benchmark's JVM";
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    /**
     * One KRaft broker in a child JVM ({@link BrokerMain}, {@code -Xmx1g}, the benchmark's class path). The child
     * prints its bootstrap address when ready and stops when its standard input closes, so it never outlives the
     * benchmark.
     */
    final class ChildProcess implements BenchBroker {
        private final Process process;
        private final String bootstrap;

        private ChildProcess(Process process, String bootstrap) {
            this.process = process;
            this.bootstrap = bootstrap;
        }

        static ChildProcess start() {
                        // -Dbroker.heap, -Dbroker.jvmOptions="..." (a profiler, say)
            List<String> command = ChildJvms.command("broker", List.of("-XX:+UseG1GC"), BrokerMain.class);
            try {
                Path log = Files.createTempFile("bench-broker", ".log");
                Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                String line;
                while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
                    if (line.startsWith(BrokerMain.READY)) {
                        String address = line.substring(BrokerMain.READY.length()).trim();
                        System.err.println("  broker in its own JVM (pid " + process.pid() + ") on " + address + ", log " + log);
                        Thread drain = new Thread(() -> {
                            try {
                                while (out.readLine() != null) {
                                    // keep the child's stdout pipe from filling up (its log goes to stderr)
                                }
                            } catch (IOException ignored) {
                                // the child is gone
                            }
                        }, "bench-broker-stdout");
                        drain.setDaemon(true);
                        drain.start();
                        return new ChildProcess(process, address);
                    }
                }
                process.destroyForcibly();
                throw new IllegalStateException("the broker process did not start; its log: " + log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String bootstrapServers() {
            return bootstrap;
        }

        @Override
        public long cpuNanos() {
                        return ChildJvms.cpuNanos(process);
        }

        @Override
        public String describe() {
                        return "one broker in its own JVM (-Xmx" + ChildJvms.heap("broker") + ")";
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
