package dev.deliverytracker.status.app;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.topology.DeliveryTracker;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.status.rules.StatusRules;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * status-stream as a service: the real Netty server, the real Kafka Streams app on the embedded broker, the query
 * API on one and on two instances, health and metrics, and the refusal to start on non-co-partitioned inputs.
 */
class StatusStreamServiceTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "status-stream-service";
    /** billing's send-service token: reads billing's deliveries (the fixtures' origin). */
    static final String BILLING_TOKEN = "billing-token-0123456789";
    static final String AUTH_TOKEN = "auth-token-0123456789abc";
    /** An operator's token: reads every origin. */
    static final String OPS_TOKEN = "ops-token-0123456789abcd";
    private static final Instant NOW = Instant.now();

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void answersWhatHappenedToAMessageThroughTheRealServer(@TempDir Path state) {
        TopicCatalogue topics = topics("one");
        createTopics(topics, 3, 3);
        try (EmbeddedServer server = start("one", topics, state)) {
            awaitRunning(server);
            produce(topics, acceptedSend("mk-a", NOW).build(), report("mk-a", Channel.ALIMTALK, "10000", NOW.plusSeconds(1)).build());
            produce(topics, acceptedSend("mk-b", NOW).build(), null);
            produce(topics, acceptedSend("mk-auth", NOW).setOrigin("auth").build(), null);
            BlockingHttpClient http = client(server);

            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(HttpClientResponseException.class).untilAsserted(() -> {
                Map<?, ?> body = http.retrieve(asBilling(HttpRequest.GET("/v1/deliveries/mk-a")), Map.class);
                assertThat(body.get("status")).isEqualTo("SENT");
                assertThat(body.get("channel")).isEqualTo("ALIMTALK");
                assertThat(body.get("phase")).isEqualTo("SETTLED");
            });
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(HttpClientResponseException.class).untilAsserted(() ->
                    assertThat(http.retrieve(asBilling(HttpRequest.GET("/v1/deliveries/mk-b")), Map.class).get("status")).isEqualTo("PENDING"));

            assertThatThrownBy(() -> http.exchange(asBilling(HttpRequest.GET("/v1/deliveries/never-sent")), Map.class))
                    .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(404);
                        assertThat(e.getResponse().getContentType()).hasValueSatisfying(
                                t -> assertThat(t.toString()).isEqualTo("application/problem+json"));
                        assertThat(e.getResponse().getBody(Map.class)).hasValueSatisfying(
                                b -> assertThat(b.get("detail").toString()).contains("never-sent"));
                    });

            // auth's delivery exists (the operator reads it) but billing is told what it is told of an unknown key.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(HttpClientResponseException.class).untilAsserted(() ->
                    assertThat(http.retrieve(HttpRequest.GET("/v1/deliveries/mk-auth").bearerAuth(OPS_TOKEN), Map.class).get("origin")).isEqualTo("auth"));
            assertThat(http.retrieve(HttpRequest.GET("/v1/deliveries/mk-auth").bearerAuth(AUTH_TOKEN), Map.class).get("status")).isEqualTo("PENDING");
            assertStatus(() -> http.exchange(asBilling(HttpRequest.GET("/v1/deliveries/mk-auth")), Map.class), 404, "mk-auth");
            assertThat(http.retrieve(HttpRequest.GET("/v1/deliveries/mk-a").bearerAuth(OPS_TOKEN), Map.class).get("status")).isEqualTo("SENT");
            assertThatThrownBy(() -> http.exchange(HttpRequest.GET("/v1/deliveries/mk-a").bearerAuth(AUTH_TOKEN), Map.class))
                    .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(404);
                        assertThat(e.getResponse().getBody(String.class).orElse("")).doesNotContain("SENT").doesNotContain("billing");
                    });
            // No token, a wrong one, another scheme: 401 with a challenge, and nothing of the delivery.
            for (HttpRequest<?> unauthenticated : java.util.List.of(HttpRequest.GET("/v1/deliveries/mk-a"),
                    HttpRequest.GET("/v1/deliveries/mk-a").bearerAuth("not-a-token-0123456789"),
                    HttpRequest.GET("/v1/deliveries/mk-a").basicAuth("billing", BILLING_TOKEN))) {
                assertThatThrownBy(() -> http.exchange(unauthenticated, Map.class))
                        .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(401);
                            assertThat(e.getResponse().getHeaders().get("WWW-Authenticate")).startsWith("Bearer");
                            assertThat(e.getResponse().getBody(String.class).orElse("")).doesNotContain("SENT").contains("Bearer");
                        });
            }

            Map<?, ?> health = http.retrieve(HttpRequest.GET("/health"), Map.class);
            assertThat(health.get("status")).isEqualTo("UP");
            assertThat(health.toString()).contains("kafkaStreams").contains("RUNNING");

            String metrics = http.retrieve(HttpRequest.GET("/prometheus"), String.class);
            assertThat(metrics).contains("delivery_statuses_total{classification=\"DELIVERED\",provider=\"bizgo\",status=\"SENT\"}");
            assertThat(metrics).contains("delivery_tracked{phase=\"PENDING\"} 2.0");
            assertThat(metrics).contains("delivery_punctuation_seconds");
        }
    }

    @Test
    void aKeyOwnedByTheOtherInstanceIsAnsweredByAskingIt(@TempDir Path stateA, @TempDir Path stateB) {
        TopicCatalogue topics = topics("two");
        createTopics(topics, 4, 4);
        try (EmbeddedServer a = start("two", topics, stateA); EmbeddedServer b = start("two", topics, stateB)) {
            KafkaStreams streamsA = a.getApplicationContext().getBean(KafkaStreams.class);
            await().atMost(Duration.ofSeconds(90)).until(() ->
                    streamsA.state() == KafkaStreams.State.RUNNING
                            && b.getApplicationContext().getBean(KafkaStreams.class).state() == KafkaStreams.State.RUNNING
                            && streamsA.metadataForAllStreamsClients().size() == 2
                            && streamsA.metadataForAllStreamsClients().stream().allMatch(m -> !m.topicPartitions().isEmpty()));
            String ownedByB = null;
            for (int i = 0; i < 100 && ownedByB == null; i++) {
                // A key that is not URL-safe: the forwarding URL must carry it as one encoded path segment.
                String candidate = "mk " + i + "?a=1&b#알림";
                KeyQueryMetadata md = streamsA.queryMetadataForKey(DeliveryTracker.DELIVERIES_STORE, candidate, Serdes.String().serializer());
                if (md.activeHost().port() == b.getPort()) {
                    ownedByB = candidate;
                }
            }
            assertThat(ownedByB).as("some key is owned by instance B").isNotNull();
            produce(topics, acceptedSend(ownedByB, NOW).build(), report(ownedByB, Channel.SMS, "10000", NOW.plusSeconds(2)).build());

            String key = ownedByB;
            BlockingHttpClient viaA = client(a);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(HttpClientResponseException.class).untilAsserted(() -> {
                HttpResponse<Map> response = viaA.exchange(asBilling(HttpRequest.GET(path(key))), Map.class);
                assertThat(response.getBody().orElseThrow().get("status")).isEqualTo("SENT");
                assertThat(response.getBody().orElseThrow().get("msgKey")).isEqualTo(key);
            });
            // The owner checks the forwarded token again: another origin's token learns nothing through A either.
            assertStatus(() -> viaA.exchange(HttpRequest.GET(path(key)).bearerAuth(AUTH_TOKEN), Map.class), 404, "Unknown delivery");
            assertStatus(() -> viaA.exchange(HttpRequest.GET(path(key)), Map.class), 401, "missing bearer token");
            assertStatus(() -> viaA.exchange(asBilling(HttpRequest.GET("/v1/deliveries/nobody-knows-me")), Map.class), 404, "nobody-knows-me");
        }
    }

    @Test
    void withoutTokensTheQueryApiIsClosedAndSaysWhatToSet(@TempDir Path state) {
        TopicCatalogue topics = topics("closed");
        createTopics(topics, 1, 1);
        Map<String, Object> props = serviceProperties(KAFKA.bootstrapServers(), "mock://" + REGISTRY, "status-closed", topics, state);
        props.remove("delivery.status-stream.query-tokens");
        try (EmbeddedServer server = DeliveryService.STATUS_STREAM.start(props)) {
            assertStatus(() -> client(server).exchange(asBilling(HttpRequest.GET("/v1/deliveries/mk-a")), Map.class), 403,
                    "STATUS_STREAM_QUERY_TOKENS");
        }
        props.put("delivery.status-stream.query-open", true);
        props.put("micronaut.server.port", freePort()); // the last server's port may not be free again yet
        try (EmbeddedServer server = DeliveryService.STATUS_STREAM.start(props)) {
            awaitRunning(server);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertStatus(() -> client(server).exchange(HttpRequest.GET("/v1/deliveries/never-sent"), Map.class), 404, "never-sent"));
        }
    }

    @Test
    void aManagementPortKeepsHealthDetailsAndMetricsOffThePublicPort(@TempDir Path state) {
        TopicCatalogue topics = topics("mgmt");
        createTopics(topics, 1, 1);
        Map<String, Object> props = serviceProperties(KAFKA.bootstrapServers(), "mock://" + REGISTRY, "status-mgmt", topics, state);
        int management = freePort();
        props.put("endpoints.all.port", management); // ENDPOINTS_ALL_PORT, as docker-compose sets it
        try (EmbeddedServer server = DeliveryService.STATUS_STREAM.start(props)) {
            awaitRunning(server);
            BlockingHttpClient publicPort = client(server);
            assertStatus(() -> publicPort.exchange(HttpRequest.GET("/health"), String.class), 404, "");
            assertStatus(() -> publicPort.exchange(HttpRequest.GET("/prometheus"), String.class), 404, "");
            BlockingHttpClient managementPort = server.getApplicationContext()
                    .createBean(HttpClient.class, java.net.URI.create("http://localhost:" + management)).toBlocking();
            assertThat(managementPort.retrieve(HttpRequest.GET("/health"), String.class)).contains("kafkaStreams").contains("RUNNING");
            assertThat(managementPort.retrieve(HttpRequest.GET("/prometheus"), String.class)).contains("delivery_tracked");
            // The query API stays on the public port only (there, no token is a 401; here, no such route).
            assertStatus(() -> managementPort.exchange(HttpRequest.GET("/v1/deliveries/never-sent"), String.class), 404, "");
            assertStatus(() -> publicPort.exchange(HttpRequest.GET("/v1/deliveries/never-sent"), String.class), 401, "missing bearer token");
        }
    }

    @Test
    void theRulesAreBoundFromConfigurationAndDefaultToTheShippedValues(@TempDir Path state) {
        TopicCatalogue topics = topics("rules");
        createTopics(topics, 1, 1);
        Map<String, Object> props = serviceProperties(KAFKA.bootstrapServers(), "mock://" + REGISTRY, "status-rules", topics, state);
        try (EmbeddedServer server = DeliveryService.STATUS_STREAM.start(props)) {
            StatusRules rules = server.getApplicationContext().getBean(StatusRules.class);
            assertThat(rules.maxAge()).isEqualTo(Duration.ofHours(24));
            assertThat(rules.orphanGrace()).isEqualTo(Duration.ofMinutes(2));
            assertThat(rules.settledRetention()).isEqualTo(Duration.ofHours(48));
            assertThat(rules.emitPending()).isTrue();
            assertThat(rules.timeouts().timeout("bizgo", Channel.ALIMTALK)).isEqualTo(Duration.ofMinutes(10));
            assertThat(rules.classifier().classify("bizgo", "10000")).isEqualTo(Classification.DELIVERED);
        }
        props.putAll(Map.of("delivery.max-age", "12h", "delivery.orphan-grace", "45s", "delivery.settled-retention", "72h",
                "delivery.emit-pending", "false", "delivery.timeouts.bizgo.sms", "3m", "delivery.timeouts.default", "7m",
                "delivery.classification.bizgo.6ME09", "DELIVERED"));
        props.put("micronaut.server.port", freePort()); // the last server's port may not be free again yet (seen: Address already in use)
        try (EmbeddedServer server = DeliveryService.STATUS_STREAM.start(props)) {
            StatusRules rules = server.getApplicationContext().getBean(StatusRules.class);
            assertThat(rules.maxAge()).isEqualTo(Duration.ofHours(12));
            assertThat(rules.orphanGrace()).isEqualTo(Duration.ofSeconds(45));
            assertThat(rules.settledRetention()).isEqualTo(Duration.ofHours(72));
            assertThat(rules.emitPending()).isFalse();
            assertThat(rules.timeouts().timeout("bizgo", Channel.SMS)).isEqualTo(Duration.ofMinutes(3));
            assertThat(rules.timeouts().timeout("bizgo", Channel.ALIMTALK)).isEqualTo(Duration.ofMinutes(7));
            assertThat(rules.classifier().classify("bizgo", "6ME09")).as("a case-sensitive code keeps its case")
                    .isEqualTo(Classification.DELIVERED);
        }
        props.put("delivery.timeouts.bizgo", "soon");
        props.put("micronaut.server.port", freePort());
        assertThatThrownBy(() -> DeliveryService.STATUS_STREAM.start(props))
                .hasStackTraceContaining("delivery.timeouts.bizgo=soon is not a duration");
    }

    @Test
    void aMalformedTokenListStopsTheStartNamingTheSetting(@TempDir Path state) {
        TopicCatalogue topics = topics("badtokens");
        createTopics(topics, 1, 1);
        Map<String, Object> props = serviceProperties(KAFKA.bootstrapServers(), "mock://" + REGISTRY, "status-badtokens", topics, state);
        props.put("delivery.status-stream.query-tokens", "billing=short");
        assertThatThrownBy(() -> DeliveryService.STATUS_STREAM.start(props))
                .hasStackTraceContaining("STATUS_STREAM_QUERY_TOKENS").hasStackTraceContaining("shorter than 16");
    }

    @Test
    void refusesToStartWhenTheInputsAreNotCoPartitioned(@TempDir Path state) {
        TopicCatalogue topics = topics("skewed");
        createTopics(topics, 3, 2);
        assertThatThrownBy(() -> start("skewed", topics, state))
                .hasStackTraceContaining("has 3 partitions but")
                .hasStackTraceContaining(topics.reports().name() + "' has 2");
    }

    private static TopicCatalogue topics(String prefix) {
        return TopicCatalogue.fromConfig(Map.of(
                "delivery.topics.sends", prefix + ".sends",
                "delivery.topics.reports", prefix + ".reports",
                "delivery.topics.status", prefix + ".status",
                "delivery.topics.dead-records", prefix + ".dead"));
    }

    private static void createTopics(TopicCatalogue topics, int sendPartitions, int reportPartitions) {
        KAFKA.broker().createTopic(topics.sends().name(), sendPartitions);
        KAFKA.broker().createTopic(topics.reports().name(), reportPartitions);
        KAFKA.broker().createTopic(topics.status().name(), sendPartitions);
        KAFKA.broker().createTopic(topics.deadRecords().name(), 1);
    }

    private static EmbeddedServer start(String prefix, TopicCatalogue topics, Path state) {
        return DeliveryService.STATUS_STREAM.start(serviceProperties(KAFKA.bootstrapServers(), "mock://" + REGISTRY,
                "status-" + prefix, topics, state));
    }

    /** status-stream as a deployment would configure it, on a free port, against {@code registryUrl}. */
    static Map<String, Object> serviceProperties(String bootstrap, String registryUrl, String applicationId,
                                                 TopicCatalogue topics, Path state) {
        int port = freePort();
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", port);
        props.put("kafka.bootstrap.servers", bootstrap);
        props.put("schema.registry.url", registryUrl);
        props.put("schema.registry.auto-register", true);
        props.put("delivery.topics.sends", topics.sends().name());
        props.put("delivery.topics.reports", topics.reports().name());
        props.put("delivery.topics.status", topics.status().name());
        props.put("delivery.topics.dead-records", topics.deadRecords().name());
        props.put("delivery.status-stream.application-id", applicationId);
        props.put("delivery.status-stream.state-dir", state.toString());
        props.put("delivery.status-stream.application-server", "localhost:" + port);
        props.put("delivery.status-stream.streams.commit.interval.ms", 100);
        props.put("delivery.status-stream.close-timeout", "10s");
        props.put("delivery.status-stream.query-tokens", "billing=" + BILLING_TOKEN + ",auth=" + AUTH_TOKEN + ",*=" + OPS_TOKEN);
        return props;
    }

    private static <T> MutableHttpRequest<T> asBilling(MutableHttpRequest<T> request) {
        return request.bearerAuth(BILLING_TOKEN);
    }

    private static String path(String msgKey) {
        return "/v1/deliveries/" + URLEncoder.encode(msgKey, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String detail) {
        assertThatThrownBy(call).isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(status);
            assertThat(e.getResponse().getBody(String.class).orElse("")).contains(detail);
        });
    }

    private static void awaitRunning(EmbeddedServer server) {
        KafkaStreams streams = server.getApplicationContext().getBean(KafkaStreams.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    private static BlockingHttpClient client(EmbeddedServer server) {
        return server.getApplicationContext().createBean(HttpClient.class, server.getURL()).toBlocking();
    }

    private static void produce(TopicCatalogue topics, SendEvent send, ProviderReport report) {
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(REGISTRY), true);
        try (KafkaProducer<String, SendEvent> sends = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                topics.sends().keySerde(serdes).serializer(), topics.sends().valueSerde(serdes).serializer());
             KafkaProducer<String, ProviderReport> reports = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                     topics.reports().keySerde(serdes).serializer(), topics.reports().valueSerde(serdes).serializer())) {
            sends.send(new ProducerRecord<>(topics.sends().name(), null, send.getAcceptedAt().toEpochMilli(), send.getMsgKey(), send));
            if (report != null) {
                reports.send(new ProducerRecord<>(topics.reports().name(), null, report.getReceivedAt().toEpochMilli(), report.getMsgKey(), report));
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
