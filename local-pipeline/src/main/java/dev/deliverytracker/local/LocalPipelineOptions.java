package dev.deliverytracker.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the one-machine mode listens and keeps its data. Each option comes from a flag ({@code --send-port 18080}),
 * else from the environment ({@code LOCAL_SEND_PORT}), else the default. The default ports never collide.
 *
 * @param sendPort       send-service
 * @param webhookPort    webhook-ingest
 * @param statusPort     status-stream's query API
 * @param bizgoPort      the fake Bizgo
 * @param kafkaPort      the embedded broker's client listener
 * @param controllerPort the embedded broker's KRaft controller listener
 * @param dataDir        Kafka logs, state stores and the send outbox
 * @param stuckTimeout   how long a message waits for its report before STUCK_PENDING
 * @param demo           generate steady traffic and print a summary every few seconds
 * @param demoRate       demo messages per second
 * @param fresh          delete the data directory first
 * @param monitorPort    the monitor (alerts)
 * @param monitorConfig  extra monitor configuration (rules, channels), e.g. a test's own webhook receiver
 */
public record LocalPipelineOptions(int sendPort, int webhookPort, int statusPort, int bizgoPort, int kafkaPort, int controllerPort,
                                   Path dataDir, Duration stuckTimeout, boolean demo, int demoRate, boolean fresh, int monitorPort,
                                   Map<String, String> monitorConfig) {

    public LocalPipelineOptions {
        monitorConfig = Map.copyOf(monitorConfig);
    }

    /** With the monitor on a random port and its default configuration. */
    public LocalPipelineOptions(int sendPort, int webhookPort, int statusPort, int bizgoPort, int kafkaPort, int controllerPort,
                                Path dataDir, Duration stuckTimeout, boolean demo, int demoRate, boolean fresh) {
        this(sendPort, webhookPort, statusPort, bizgoPort, kafkaPort, controllerPort, dataDir, stuckTimeout, demo, demoRate, fresh, 0, Map.of());
    }

    /** The same options with more monitor configuration. */
    public LocalPipelineOptions withMonitorConfig(Map<String, String> more) {
        Map<String, String> merged = new java.util.HashMap<>(monitorConfig);
        merged.putAll(more);
        return new LocalPipelineOptions(sendPort, webhookPort, statusPort, bizgoPort, kafkaPort, controllerPort, dataDir, stuckTimeout,
                demo, demoRate, fresh, monitorPort, merged);
    }

    /** The flags, their environment names and defaults, in the order --help prints them. */
    static final List<String[]> FLAGS = List.of(
            new String[]{"--send-port", "LOCAL_SEND_PORT", "8080", "send-service"},
            new String[]{"--webhook-port", "LOCAL_WEBHOOK_PORT", "8082", "webhook-ingest"},
            new String[]{"--status-port", "LOCAL_STATUS_PORT", "8083", "status-stream query API"},
            new String[]{"--monitor-port", "LOCAL_MONITOR_PORT", "8085", "monitor (alerts)"},
            new String[]{"--bizgo-port", "LOCAL_BIZGO_PORT", "8090", "fake Bizgo"},
            new String[]{"--kafka-port", "LOCAL_KAFKA_PORT", "9092", "embedded Kafka broker"},
            new String[]{"--controller-port", "LOCAL_CONTROLLER_PORT", "9093", "embedded Kafka controller"},
            new String[]{"--data-dir", "LOCAL_DATA_DIR", "data/local", "Kafka logs, state stores, outbox"},
            new String[]{"--stuck-timeout", "LOCAL_STUCK_TIMEOUT", "PT2M", "report deadline (demo: PT20S)"},
            new String[]{"--demo-rate", "LOCAL_DEMO_RATE", "20", "demo messages per second"});

    public static LocalPipelineOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new java.util.HashMap<>();
        boolean demo = false;
        boolean fresh = false;
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (arg.isBlank()) {
                continue;
            }
            if (arg.equals("--demo")) {
                demo = true;
                continue;
            }
            if (arg.equals("--fresh")) {
                fresh = true;
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String[] flag = FLAGS.stream().filter(f -> f[0].equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown option " + name + "; see --help"));
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : (i + 1 < rest.size() ? rest.get(++i) : null);
            if (value == null) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(flag[0], value);
        }
        for (String[] flag : FLAGS) {
            boolean demoTimeout = demo && flag[0].equals("--stuck-timeout");
            values.computeIfAbsent(flag[0], k -> env.getOrDefault(flag[1], demoTimeout ? "PT20S" : flag[2]));
        }
        LocalPipelineOptions options = new LocalPipelineOptions(port(values, "--send-port"), port(values, "--webhook-port"),
                port(values, "--status-port"), port(values, "--bizgo-port"), port(values, "--kafka-port"), port(values, "--controller-port"),
                Path.of(values.get("--data-dir")), duration(values, "--stuck-timeout"), demo, integer(values, "--demo-rate"), fresh,
                port(values, "--monitor-port"), Map.of());
        options.checkPortsDiffer();
        return options;
    }

    void checkPortsDiffer() {
        List<Integer> ports = List.of(sendPort, webhookPort, statusPort, bizgoPort, kafkaPort, controllerPort, monitorPort);
        if (ports.stream().filter(p -> p != 0).distinct().count() != ports.stream().filter(p -> p != 0).count()) {
            throw new IllegalArgumentException("two services would share a port: " + ports);
        }
    }

    static String help() {
        StringBuilder out = new StringBuilder("Usage: ./run-local [--demo] [--fresh] [options]\n\n"
                + "  --demo                 steady demo traffic through the fake Bizgo, a summary every 5 s\n"
                + "  --fresh                delete the data directory first\n");
        for (String[] flag : FLAGS) {
            out.append(String.format("  %-22s %s (env %s, default %s)%n", flag[0] + " <v>", flag[3], flag[1], flag[2]));
        }
        return out.toString();
    }

    private static int port(Map<String, String> values, String name) {
        int port = integer(values, name);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be a port number, was " + port);
        }
        return port;
    }

    private static int integer(Map<String, String> values, String name) {
        try {
            return Integer.parseInt(values.get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + values.get(name) + "'");
        }
    }

    private static Duration duration(Map<String, String> values, String name) {
        try {
            return Duration.parse(values.get(name).trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT20S, was '" + values.get(name) + "'");
        }
    }
}
