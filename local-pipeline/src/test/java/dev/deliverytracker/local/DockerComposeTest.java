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
 * topics are the catalogue's, with sends and reports co-partitioned, replication factor 3 and min.insync.replicas 2.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):?([^}]*)}");
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
            String yml = Files.readString(ROOT.resolve(module).resolve("src/main/resources/application.yml"));
            Map<String, String> placeholders = new HashMap<>();
            Matcher matcher = PLACEHOLDER.matcher(yml);
            while (matcher.find()) {
                placeholders.put(matcher.group(1), matcher.group(2));
            }
            Set<String> given = environment(service).keySet();
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
            String port = environment(service).entrySet().stream().filter(e -> e.getKey().endsWith("_PORT"))
                    .map(e -> e.getValue().toString()).findFirst().orElseThrow();
            assertThat(targets).as(service + " is scraped").contains(service + ":" + port);
        }
        assertThat(environment("monitor").get("ALERTMANAGER_URL")).isEqualTo("http://alertmanager:9093");
        assertThat(services.get("alertmanager").get("ports").toString()).contains("9093:9093");
    }
}
