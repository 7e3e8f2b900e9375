package dev.deliverytracker.bench;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.support.HealthProbe;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A service a benchmark runs: inside the benchmark's JVM ({@link InJvm}, the default: its Kafka Streams metrics can be
 * read directly) or, with {@code -Dservices=process}, the way users run it: its own JVM started with the service's
 * own {@code main} from the same class path, configured by system properties ({@link ChildJvm}).
 */
sealed interface ServiceUnderTest extends AutoCloseable permits ServiceUnderTest.InJvm, ServiceUnderTest.ChildJvm {

    int port();

    /** The service's Kafka Streams client, when it runs in this JVM. */
    Optional<KafkaStreams> streams();

    /** CPU time of the service's own JVM so far, in nanoseconds; -1 when it shares this JVM. */
    long cpuNanos();

    @Override
    void close();

    /** Starts {@code service} with {@code props} as {@code -Dservices} says (in-jvm or process) and waits until it is UP. */
    static ServiceUnderTest start(DeliveryService service, Class<?> mainClass, Map<String, Object> props) {
        String mode = System.getProperty("services", "in-jvm");
        return switch (mode) {
            case "in-jvm" -> InJvm.start(service, props);
            case "process" -> ChildJvm.start(service, mainClass, props);
            default -> throw new IllegalArgumentException("-Dservices=" + mode + ": expected in-jvm or process");
        };
    }

    /** Whether services run in their own JVMs: the registry must then be one they can all reach over HTTP. */
    static boolean inOwnJvms() {
        return "process".equals(System.getProperty("services", "in-jvm"));
    }

    record InJvm(EmbeddedServer server) implements ServiceUnderTest {
        static InJvm start(DeliveryService service, Map<String, Object> props) {
            EmbeddedServer server = service.start(props);
            BenchServices.awaitUp(server);
            return new InJvm(server);
        }

        @Override
        public int port() {
            return server.getPort();
        }

        @Override
        public Optional<KafkaStreams> streams() {
            return server.getApplicationContext().findBean(KafkaStreams.class);
        }

        @Override
        public long cpuNanos() {
            return -1;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /**
     * The service in a child JVM ({@code -Xmx1g}, or {@code -Dservices.heap}; {@code -Dservices.jvmOptions="..."} adds
     * options), its output in a log file. Closing it sends SIGTERM, so Micronaut closes Kafka Streams cleanly.
     */
    record ChildJvm(String name, Process process, int port, Path log) implements ServiceUnderTest {
        static ChildJvm start(DeliveryService service, Class<?> mainClass, Map<String, Object> props) {
                        int port = props.get("micronaut.server.port") instanceof Integer p && p > 0 ? p : ChildJvms.freePort();
            List<String> settings = new ArrayList<>();
            props.forEach((key, value) -> {
                if (!key.equals("micronaut.server.port")) {
                    settings.add("-D" + key + "=" + value);
                }
            });
            settings.add("-Dmicronaut.server.port=" + port);
            List<String> command = ChildJvms.command("services", settings, mainClass);
            try {
                Path log = Files.createTempFile("bench-" + service.serviceName(), ".log");
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                ChildJvm child = new ChildJvm(service.serviceName(), process, port, log);
                try {
                    HealthProbe.awaitUp(service.serviceName(), port, Duration.ofSeconds(90));
                } catch (RuntimeException e) {
                    child.close();
                    throw new IllegalStateException(service + " did not come up in its own JVM; its log: " + log, e);
                }
                System.err.println("  " + service + " in its own JVM (pid " + process.pid() + ") on port " + port + ", log " + log);
                return child;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Optional<KafkaStreams> streams() {
            return Optional.empty();
        }

        @Override
        public long cpuNanos() {
                        return ChildJvms.cpuNanos(process);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(45, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
