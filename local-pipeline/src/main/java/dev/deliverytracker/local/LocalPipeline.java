package dev.deliverytracker.local;

import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.fakebizgo.ReportDelivery;
import dev.deliverytracker.fakealigo.FakeAligo;
import dev.deliverytracker.fakesens.FakeSens;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.schemas.topics.TopicId;
import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.support.HealthProbe;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The whole pipeline on one machine, in one JVM: an embedded KRaft broker, the in-process {@code mock://} schema
 * registry, the fake Bizgo (its webhook pointed at webhook-ingest, signed with a fresh secret), the fake NCP SENS
 * (sent to by send-service with {@code "provider": "ncp-sens"}, its results collected by webhook-ingest), the fake Aligo
 * (likewise, {@code "provider": "aligo"}), and send-service,
 * webhook-ingest, status-stream and the monitor, each in its own Micronaut context with the production code and its
 * production configuration file ({@link DeliveryService}). Only the broker, the registry and the provider are local.
 * {@link #close()} stops everything, services first, broker last.
 */
public final class LocalPipeline implements AutoCloseable {

    /** The producer token of the local mode's one client, {@code demo}. Local only: never a production secret. */
    public static final String DEMO_TOKEN = "local-demo-token-not-a-secret";
    public static final String DEMO_ORIGIN = "demo";
    public static final int PARTITIONS = 3;
    private static final String REGISTRY_SCOPE = "local-pipeline";

    /** A broker and a Schema Registry that already run elsewhere (containers), instead of the embedded ones. */
    public record ExternalInfrastructure(String bootstrapServers, String registryUrl) {
    }

    private final LocalPipelineOptions options;
    private final ExternalInfrastructure external;
    private final List<AutoCloseable> started = new ArrayList<>();
    private String bootstrapServers;
    private String registryUrl;
    private EmbeddedKafkaBroker broker;
    private FakeBizgo bizgo;
    private FakeSens sens;
    /** The fake SENS's keys and AlimTalk service id, fresh for each start. */
    private final String sensAccessKey = randomHex(16);
    private final String sensSecretKey = randomHex(24);
    private static final String SENS_SERVICE_ID = "ncp:kkobizmsg:kr:0000000:local";
    private FakeAligo aligo;
    private final String aligoKey = randomHex(16);
    private final String aligoUser = "local-demo";
    /** send-service's recipient hash key, which webhook-ingest needs too (to match Aligo's rows to messages). */
    private final String recipientHashKey = randomHex(32);
    private EmbeddedServer sendService;
    private EmbeddedServer webhookIngest;
    private EmbeddedServer statusStream;
    private EmbeddedServer monitor;
    private AlertPrinter alertPrinter;
    /** The monitor's token for status-stream's query API (all origins), fresh for each start. */
    private final String lookupToken = randomHex(24);

    private LocalPipeline(LocalPipelineOptions options, ExternalInfrastructure external) {
        this.options = options;
        this.external = external;
    }

    public static LocalPipeline start(LocalPipelineOptions options) {
        return start(options, null);
    }

    /** With {@code external} null: the embedded broker and the in-process registry. */
    public static LocalPipeline start(LocalPipelineOptions options, ExternalInfrastructure external) {
        LocalPipeline pipeline = new LocalPipeline(options, external);
        try {
            pipeline.startAll();
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    private void startAll() {
        Path data = options.dataDir().toAbsolutePath();
        if (options.fresh()) {
            deleteTree(data);
        }
        if (external == null) {
            broker = EmbeddedKafkaBroker.builder().logDir(data.resolve("kafka")).port(options.kafkaPort())
                    .controllerPort(options.controllerPort()).build().start();
            started.add(broker);
            bootstrapServers = broker.bootstrapServers();
            registryUrl = "mock://" + REGISTRY_SCOPE;
        } else {
            bootstrapServers = external.bootstrapServers();
            registryUrl = external.registryUrl();
        }
        createTopics();
        String webhookSecret = randomHex(32);
        String apiKey = randomHex(24);

        sens = FakeSens.builder(sensAccessKey, sensSecretKey, SENS_SERVICE_ID).processing(Duration.ofSeconds(2)).start();
        started.add(0, sens);
        aligo = FakeAligo.builder(aligoKey, aligoUser).processing(Duration.ofSeconds(2)).start();
        started.add(0, aligo);
        webhookIngest = DeliveryService.WEBHOOK_INGEST.start(webhookIngestConfig(webhookSecret, data));
        started.add(0, webhookIngest);
        bizgo = FakeBizgo.builder(apiKey).port(options.bizgoPort())
                .reports(ReportDelivery.webhook(URI.create("http://127.0.0.1:" + webhookIngest.getPort() + "/webhooks/bizgo"), webhookSecret))
                .reportDelay(Duration.ofMillis(300))
                .start();
        started.add(0, bizgo);
        statusStream = DeliveryService.STATUS_STREAM.start(statusStreamConfig(data));
        started.add(0, statusStream);
        sendService = DeliveryService.SEND_SERVICE.start(sendServiceConfig(data, apiKey));
        started.add(0, sendService);
        monitor = DeliveryService.MONITOR.start(monitorConfig(data));
        started.add(0, monitor);
        HealthProbe.awaitUp("status-stream", statusStream.getPort(), Duration.ofSeconds(90));
        HealthProbe.awaitUp("monitor", monitor.getPort(), Duration.ofSeconds(90));
    }

    /**
     * What differs from production for every service: its port, the local broker and registry. Everything else each
     * service reads from its own {@code application-<service>.yml}, as in a container; the methods below add only what
     * one machine needs (loopback addresses, fresh secrets, data directories, the demo's short timers).
     */
    private Map<String, Object> common(int port) {
        Map<String, Object> config = new HashMap<>();
        config.put("micronaut.server.port", port == 0 ? -1 : port);
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("schema.registry.url", registryUrl);
        config.put("schema.registry.auto-register", true);
        return config;
    }

    private Map<String, Object> webhookIngestConfig(String secret, Path data) {
        Map<String, Object> config = common(options.webhookPort());
        config.put("delivery.webhooks.providers.bizgo.secrets", secret);
        config.put("delivery.webhooks.providers.bizgo.allowed-sources", "127.0.0.1,::1");
                config.put("delivery.collectors.state-dir", data.resolve("result-collector").toString());
        for (String collector : List.of("delivery.collectors.ncp-sens.", "delivery.collectors.aligo.")) {
            config.put(collector + "enabled", true);
            config.put(collector + "recipient-hash-key", recipientHashKey);
            // the demo's short timers: results are asked for within seconds
            config.put(collector + "poll-interval", "500ms");
            config.put(collector + "first-ask", "2s");
            config.put(collector + "max-ask-interval", "5s");
        }
        putSensAccount(config, "delivery.collectors.ncp-sens.");
        putAligoAccount(config, "delivery.collectors.aligo.");
        return config;
    }

    /** The fake SENS account under {@code prefix}: send-service sends with it, the result collector reads with it. */
    private void putSensAccount(Map<String, Object> config, String prefix) {
        config.put(prefix + "base-url", sens.baseUrl());
        config.put(prefix + "access-key", sensAccessKey);
        config.put(prefix + "secret-key", sensSecretKey);
        config.put(prefix + "alimtalk-service-id", SENS_SERVICE_ID);
        config.put(prefix + "sms-service-id", FakeSens.SMS_SERVICE);
    }

    /** The fake Aligo account under {@code prefix}, as {@link #putSensAccount}. */
    private void putAligoAccount(Map<String, Object> config, String prefix) {
        config.put(prefix + "base-url", aligo.baseUrl());
        config.put(prefix + "sms-base-url", aligo.baseUrl());
        config.put(prefix + "api-key", aligoKey);
        config.put(prefix + "user-id", aligoUser);
    }

    private Map<String, Object> statusStreamConfig(Path data) {
        Map<String, Object> config = common(options.statusPort());
        config.put("delivery.status-stream.state-dir", data.resolve("status-stream").toString());
        config.put("delivery.status-stream.punctuation-interval", "1s");
        // The demo producer reads its own deliveries with its send-service token, as a real producer does.
        // and the monitor's dashboard reads any delivery's history with a token for all origins
        config.put("delivery.status-stream.query-tokens", DEMO_ORIGIN + "=" + DEMO_TOKEN + ",*=" + lookupToken);
        config.put("delivery.timeouts.default", options.stuckTimeout().toMillis() + "ms");
        return config;
    }

    /**
     * The monitor with its signed webhook channel pointed at the terminal ({@link AlertPrinter}), unless the options
     * name another receiver; Alertmanager and Slack only when the options configure them.
     */
    private Map<String, Object> monitorConfig(Path data) {
        Map<String, Object> config = common(options.monitorPort());
        config.put("delivery.monitor.state-dir", data.resolve("monitor").toString());
        config.put("delivery.monitor.failed-dir", data.resolve("monitor/failed-notifications").toString());
        config.put("delivery.monitor.lookup-base-url", "http://localhost:" + statusStream.getPort());
        config.put("delivery.monitor.lookup-token", lookupToken);
        config.put("delivery.monitor.history-base-url", "http://localhost:" + statusStream.getPort());
        config.put("delivery.monitor.evaluation-interval", "1s");
        config.put("delivery.monitor.admin-token", DEMO_TOKEN);
        if (options.demo()) {
            config.put("delivery.monitor.rules.account-failure.resolve-after", "30s");
        }
        if (!options.monitorConfig().containsKey("delivery.monitor.channels.webhook.url")) {
            String secret = randomHex(32);
            alertPrinter = new AlertPrinter(secret, System.out);
            started.add(alertPrinter);
            config.put("delivery.monitor.channels.webhook.url", alertPrinter.url());
            config.put("delivery.monitor.channels.webhook.secret", secret);
        }
        config.putAll(options.monitorConfig());
        return config;
    }

    public String monitorUrl() {
        return "http://localhost:" + monitor.getPort();
    }

    private Map<String, Object> sendServiceConfig(Path data, String apiKey) {
        Map<String, Object> config = common(options.sendPort());
        config.put("delivery.send-service.status-base-url", "http://localhost:" + statusStream.getPort());
        config.put("delivery.send-service.outbox-dir", data.resolve("send-service/outbox").toString());
        config.put("delivery.send-service.recipient-hash-key", recipientHashKey);
        config.put("delivery.send-service.client-tokens", DEMO_ORIGIN + "=" + DEMO_TOKEN);
        config.put("delivery.providers.bizgo.base-url", bizgo.baseUrl());
        config.put("delivery.providers.bizgo.api-key", apiKey);
        config.put("delivery.providers.bizgo.sender-key", "local-sender-profile-key");
        config.put("delivery.providers.bizgo.sms-from", "0212345678");
                putSensAccount(config, "delivery.providers.ncp-sens.");
        config.put("delivery.providers.ncp-sens.plus-friend-id", "@local-demo");
        config.put("delivery.providers.ncp-sens.sms-from", "0212345678");
        config.put("delivery.providers.aligo.enabled", true);
        putAligoAccount(config, "delivery.providers.aligo.");
        config.put("delivery.providers.aligo.sender-key", "local-aligo-sender-key");
        config.put("delivery.providers.aligo.sender", "0212345678");
        return config;
    }

    public String sendServiceUrl() {
        return "http://localhost:" + sendService.getPort();
    }

    public String webhookIngestUrl() {
        return "http://localhost:" + webhookIngest.getPort();
    }

    public String statusStreamUrl() {
        return "http://localhost:" + statusStream.getPort();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code mock://local-pipeline}, or the external registry's URL. */
    public String registryUrl() {
        return registryUrl;
    }

    /** Every catalogue topic with {@link #PARTITIONS} partitions (sends and reports co-partitioned), if missing. */
    private void createTopics() {
        TopicCatalogue topics = TopicCatalogue.defaults();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicId id : TopicId.values()) {
                if (!existing.contains(topics.name(id))) {
                    missing.add(new NewTopic(topics.name(id), Optional.of(PARTITIONS), Optional.empty()));
                }
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the topics on " + bootstrapServers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public FakeBizgo bizgo() {
        return bizgo;
    }

    public FakeSens sens() {
        return sens;
    }

    public FakeAligo aligo() {
        return aligo;
    }

    public LocalPipelineOptions options() {
        return options;
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : started) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("while stopping " + closeable.getClass().getSimpleName() + ": " + e);
            }
        }
        started.clear();
        MockSchemaRegistry.dropScope(REGISTRY_SCOPE);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
