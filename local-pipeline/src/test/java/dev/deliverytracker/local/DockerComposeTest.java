package dev.deliverytracker.local;

import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.schemas.topics.TopicId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of docker-compose.yml without Docker: every environment variable a service is given is one its
 * application.yml reads, every secret it needs is given, the main classes exist, host ports do not collide, and the
 * topics are the catalogue's, with sends and reports co-partitioned, replication factor 3 and min.insync.replicas 2;
 * and that it works the first time: start order by health, restart policies, state on volumes, memory limits the
 * JVM sizes itself to, stop grace periods longer than the close timeouts, a build context without secrets.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):?([^}]*)}");
    /** Micronaut reads it as {@code endpoints.all.port}: /health and /prometheus move to that port. */
    private static final String MANAGEMENT_PORT = "ENDPOINTS_ALL_PORT";
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String service) {
        return (Map<String, Object>) services.get(service).getOrDefault("environment", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> buildArgs(String service) {
        Object build = services.get(service).get("build");
        return build == null ? Map.of() : (Map<String, String>) ((Map<String, Object>) build).get("args");
    }

    private static List<String> appServices() {
        return services.keySet().stream().filter(name -> !buildArgs(name).isEmpty()).sorted().toList();
    }

    @Test
    void everyServiceEnvironmentVariableIsOneTheServiceReadsAndEverySecretIsGiven() throws IOException {
        assertThat(appServices()).containsExactly("monitor", "send-service", "status-stream-1", "status-stream-2", "webhook-ingest");
        for (String service : appServices()) {
            String module = buildArgs(service).get("SERVICE");
            String yml = Files.readString(ROOT.resolve(module).resolve("src/main/resources/application-" + module + ".yml"));
            Map<String, String> placeholders = new HashMap<>();
            Matcher matcher = PLACEHOLDER.matcher(yml);
            while (matcher.find()) {
                placeholders.put(matcher.group(1), matcher.group(2));
            }
            Set<String> given = new HashSet<>(environment(service).keySet());
            given.remove(MANAGEMENT_PORT); // Micronaut's own endpoints.all.port, read without a placeholder
            assertThat(placeholders.keySet()).as(service + ": every variable docker-compose sets is read by " + module)
                    .containsAll(given);
            Set<String> secrets = placeholders.entrySet().stream()
                    .filter(e -> e.getValue().isEmpty() && e.getKey().matches(".*(_KEY|_SECRETS|_TOKENS)"))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertThat(given).as(service + ": every secret " + module + " needs is given").containsAll(secrets);
        }
    }

    @Test
    void theImagesStartTheModulesOwnMainClasses() throws Exception {
        for (String service : appServices()) {
            String module = buildArgs(service).get("SERVICE");
            String mainClass = buildArgs(service).get("MAIN_CLASS");
            assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
            assertThat(Files.readString(ROOT.resolve(module).resolve("pom.xml"))).contains("<exec.mainClass>" + mainClass + "</exec.mainClass>");
        }
        assertThat(ROOT.resolve("deploy/Dockerfile")).exists();
    }

    @Test
    @SuppressWarnings("unchecked")
    void hostPortsDoNotCollideAndStatusInstancesAdvertiseThemselves() {
        List<String> hostPorts = new ArrayList<>();
        services.forEach((name, service) -> ((List<Object>) service.getOrDefault("ports", List.of()))
                .forEach(port -> hostPorts.add(port.toString().split(":")[0])));
        assertThat(hostPorts).doesNotHaveDuplicates().isNotEmpty();
        for (String service : List.of("status-stream-1", "status-stream-2")) {
            assertThat(environment(service).get("STATUS_STREAM_APPLICATION_SERVER").toString()).startsWith(service + ":");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthAndMetricsAreOnAManagementPortThatIsNotPublishedAndTheHealthchecksUseIt() {
        for (String service : appServices()) {
            Object management = environment(service).get(MANAGEMENT_PORT);
            assertThat(management).as(service + " has a management port").isNotNull();
            String servicePort = port(service);
            assertThat(management.toString()).as(service).isNotEqualTo(servicePort);
            List<Object> published = (List<Object>) services.get(service).getOrDefault("ports", List.of());
            assertThat(published).as(service + " publishes only its API port")
                    .allSatisfy(p -> assertThat(p.toString()).endsWith(":" + servicePort));
            List<String> healthcheck = (List<String>) ((Map<String, Object>) services.get(service).get("healthcheck")).get("test");
            assertThat(healthcheck).as(service).contains("http://localhost:" + management + "/health");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void topicsAreTheCataloguesWithSendsAndReportsCoPartitionedAndReplicated() {
        String script = String.join("\n", (List<String>) services.get("kafka-topics").get("command"));
        Matcher topics = Pattern.compile("(delivery\\.[a-z-]+):(\\d+)").matcher(script);
        Map<String, Integer> partitions = new HashMap<>();
        while (topics.find()) {
            partitions.put(topics.group(1), Integer.parseInt(topics.group(2)));
        }
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        assertThat(partitions.keySet()).isEqualTo(new HashSet<>(Arrays.stream(TopicId.values()).map(catalogue::name).toList()));
        assertThat(partitions.get(catalogue.name(TopicId.SENDS))).isEqualTo(partitions.get(catalogue.name(TopicId.REPORTS)));
        assertThat(script).contains("--replication-factor 3").contains("min.insync.replicas=2");
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            assertThat(environment(broker).get("KAFKA_MIN_INSYNC_REPLICAS").toString()).isEqualTo("2");
            assertThat(environment(broker).get("KAFKA_DEFAULT_REPLICATION_FACTOR").toString()).isEqualTo("3");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryServiceAtItsPortAndTheMonitorPostsToAlertmanager() throws IOException {
        Map<String, Object> prometheus = new Yaml().load(Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml")));
        List<String> targets = new ArrayList<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) prometheus.get("scrape_configs")) {
            assertThat(job.get("metrics_path")).isEqualTo("/prometheus");
            for (Map<String, Object> config : (List<Map<String, Object>>) job.get("static_configs")) {
                targets.addAll((List<String>) config.get("targets"));
            }
        }
        for (String service : appServices()) {
            String port = environment(service).get(MANAGEMENT_PORT).toString();
            assertThat(targets).as(service + " is scraped at its management port").contains(service + ":" + port);
        }
        assertThat(environment("monitor").get("ALERTMANAGER_URL")).isEqualTo("http://alertmanager:9093");
        assertThat(services.get("alertmanager").get("ports").toString()).contains("9093:9093");
    }

    @Test
    @SuppressWarnings("unchecked")
    void containersStartInOrderOfHealthAndRestartUnlessStopped() {
        services.forEach((name, service) -> assertThat(service.get("restart")).as(name + " restart policy")
                .isEqualTo(name.equals("kafka-topics") ? "on-failure" : "unless-stopped"));
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            assertThat(healthcheck(broker)).as(broker).contains("kafka-broker-api-versions.sh");
            assertThat(dependsOn("kafka-topics")).containsEntry(broker, "service_healthy");
        }
        assertThat(healthcheck("schema-registry")).contains("http://localhost:8081/subjects");
        assertThat(dependsOn("schema-registry")).containsEntry("kafka-topics", "service_completed_successfully");
        for (String service : appServices()) {
            assertThat(healthcheck(service)).as(service).contains("curl").contains("-f")
                    .contains("http://localhost:" + environment(service).get(MANAGEMENT_PORT) + "/health");
            assertThat(dependsOn(service)).as(service)
                    .containsEntry("schema-registry", "service_healthy")
                    .containsEntry("kafka-topics", "service_completed_successfully");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateLivesOnVolumesAndMemoryAndStopTimesFitTheServices() throws IOException {
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            assertThat(volumeTargets(broker)).as(broker).anyMatch(t -> environment(broker).get("KAFKA_LOG_DIRS").toString().startsWith(t));
        }
        Map<String, String> stateDirs = Map.of("send-service", "SEND_SERVICE_OUTBOX_DIR", "status-stream-1", "STATUS_STREAM_STATE_DIR",
                "status-stream-2", "STATUS_STREAM_STATE_DIR", "monitor", "MONITOR_STATE_DIR");
        stateDirs.forEach((service, variable) -> assertThat(volumeTargets(service)).as(service + " keeps " + variable + " on a volume")
                .anyMatch(t -> environment(service).get(variable).toString().startsWith(t)));
        Set<String> declared = ((Map<String, Object>) new Yaml().<Map<String, Object>>load(Files.readString(ROOT.resolve("docker-compose.yml")))
                .get("volumes")).keySet();
        services.forEach((name, service) -> volumeSources(name).stream().filter(v -> !v.startsWith("."))
                .forEach(v -> assertThat(declared).as(name + " volume " + v).contains(v)));

        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
        assertThat(dockerfile).contains("MaxRAMPercentage").contains("curl");
        int closeTimeout = Math.max(closeTimeoutSeconds("status-stream/src/main/java/dev/deliverytracker/status/app/StatusStreamProperties.java"),
                closeTimeoutSeconds("monitor/src/main/java/dev/deliverytracker/monitor/app/MonitorProperties.java"));
        for (String module : List.of("send-service", "webhook-ingest")) {
            Matcher grace = Pattern.compile("graceful-shutdown:\\s+enabled: true\\s+grace-period: (\\d+)s")
                    .matcher(Files.readString(ROOT.resolve(module).resolve("src/main/resources/application-" + module + ".yml")));
            assertThat(grace.find()).as(module + " drains requests in flight when stopped").isTrue();
            closeTimeout = Math.max(closeTimeout, Integer.parseInt(grace.group(1)));
        }
        for (String service : appServices()) {
            assertThat(services.get(service).get("mem_limit")).as(service + " memory limit").isNotNull();
            String grace = services.get(service).get("stop_grace_period").toString();
            assertThat(Integer.parseInt(grace.replace("s", ""))).as(service + " stop grace period vs close timeout " + closeTimeout + "s")
                    .isGreaterThan(closeTimeout);
        }
    }

    @Test
    void producersGetAStatusUrlTheyCanReachAndTheBuildContextHoldsNoSecrets() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(compose).contains("STATUS_STREAM_URL: ${STATUS_STREAM_PUBLIC_URL:-http://localhost:8083}");
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::trim).toList();
        assertThat(ignored).contains("data/", "deploy/.env", "**/target/", ".git");
    }

    @SuppressWarnings("unchecked")
    private static String healthcheck(String service) {
        Map<String, Object> check = (Map<String, Object>) services.get(service).get("healthcheck");
        assertThat(check).as(service + " has a healthcheck").isNotNull();
        return check.get("test").toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependsOn(String service) {
        Object depends = services.get(service).get("depends_on");
        assertThat(depends).as(service + " depends_on with conditions").isInstanceOf(Map.class);
        Map<String, String> conditions = new HashMap<>();
        ((Map<String, Map<String, Object>>) depends).forEach((name, c) -> conditions.put(name, c.get("condition").toString()));
        return conditions;
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumeSources(String service) {
        return ((List<Object>) services.get(service).getOrDefault("volumes", List.of())).stream()
                .map(v -> v.toString().split(":")[0]).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumeTargets(String service) {
        return ((List<Object>) services.get(service).getOrDefault("volumes", List.of())).stream()
                .map(v -> v.toString().split(":")[1]).toList();
    }

    /** The port of the service's API (its own {@code *_PORT}, not the management port). */
    private static String port(String service) {
        return environment(service).entrySet().stream()
                .filter(e -> e.getKey().endsWith("_PORT") && !e.getKey().equals(MANAGEMENT_PORT))
                .map(e -> e.getValue().toString()).findFirst().orElseThrow();
    }

    private static int closeTimeoutSeconds(String source) throws IOException {
        Matcher m = Pattern.compile("defaultValue = \"(\\d+)s\"\\) Duration closeTimeout").matcher(Files.readString(ROOT.resolve(source)));
        assertThat(m.find()).as("close timeout default in " + source).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
