package dev.deliverytracker.monitor.app;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.monitor.dashboard.DashboardWindow;
import dev.deliverytracker.monitor.dashboard.LocalDashboard;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The monitor as a service on the embedded broker, through the real Netty server: statuses in, notifications out
 * to a real HTTP receiver; a refused notification kept and re-sent through the API; back-off on a down channel; no
 * re-send after a restart; start-up refusals that name the key.
 */
class MonitorServiceTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "monitor-service";
    private static final String TOKEN = "monitor-test-admin-token";
    private static final String SECRET = "a-signing-secret-of-32-characters";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void aRefusedNotificationIsKeptNotRetriedAndReSentThroughTheApi(@TempDir Path dir) throws Exception {
        TopicCatalogue topics = topics("kept");
        try (ScriptedReceiver receiver = new ScriptedReceiver()) {
            receiver.answer(400);
            try (EmbeddedServer server = start("kept", topics, dir, receiver.url("/hook"))) {
                produce(topics, accountFailure("kept-1"));
                await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests.size() >= 1);

                HttpResponse<String> unauthorized = get(server, "/v1/notifications/failed", null);
                assertThat(unauthorized.statusCode()).isEqualTo(401);
                assertThat(unauthorized.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
                HttpResponse<String> listed = await().atMost(Duration.ofSeconds(10))
                        .until(() -> get(server, "/v1/notifications/failed", TOKEN), r -> r.body().contains("\"channel\":\"webhook\""));
                assertThat(receiver.requests).as("a 4xx is final: not retried").hasSize(1);
                assertThat(listed.body()).contains("HTTP 400");
                String id = listed.body().replaceAll("(?s).*\"id\":\"(msg_[0-9a-f]+)\".*", "$1");

                HttpResponse<String> resent = post(server, "/v1/notifications/failed/" + id + "/resend", TOKEN);
                assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
                assertThat(receiver.requests).hasSize(2);
                assertThat(receiver.requests.get(1).headers().get("webhook-id")).isEqualTo(id);
                assertThat(receiver.requests.get(1).body()).isEqualTo(receiver.requests.get(0).body());
                assertThat(get(server, "/v1/notifications/failed", TOKEN).body()).isEqualTo("[]");
                assertThat(post(server, "/v1/notifications/failed/" + id + "/resend", TOKEN).statusCode()).isEqualTo(404);
                assertThat(get(server, "/prometheus", null).body())
                        .contains("monitor_notifications_total{channel=\"webhook\",outcome=\"failed\"} 1.0")
                        .contains("monitor_alerts_firing{rule=\"account_failure\"} 1.0");
            }
        }
    }

    @Test
    void aDownChannelGetsBackOffThenTheNotificationAndNoDuplicateAfterARestart(@TempDir Path dir) throws Exception {
        TopicCatalogue topics = topics("down");
        try (ScriptedReceiver receiver = new ScriptedReceiver()) {
            receiver.answer(503, 429);
            try (EmbeddedServer server = start("down", topics, dir, receiver.url("/hook"))) {
                produce(topics, accountFailure("down-1"));
                await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests.stream().anyMatch(r -> r.answered() == 200));
                assertThat(receiver.requests).extracting(ScriptedReceiver.Request::answered).containsExactly(503, 429, 200);
                assertThat(receiver.requests).extracting(r -> r.headers().get("webhook-id")).as("one webhook-id for every attempt")
                        .containsOnly(receiver.requests.get(0).headers().get("webhook-id"));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(server, "/prometheus", null).body())
                        .contains("monitor_notifications_total{channel=\"webhook\",outcome=\"retried\"} 2.0")
                        .contains("monitor_notifications_total{channel=\"webhook\",outcome=\"sent\"} 1.0"));
            }
            // a restart with the same state and consumer group: the alert still fires, nothing is sent again
            try (EmbeddedServer again = start("down", topics, dir, receiver.url("/hook"))) {
                KafkaStreams streams = again.getApplicationContext().getBean(KafkaStreams.class);
                await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
                await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).until(() -> receiver.requests.size() == 3);
                assertThat(get(again, "/v1/alerts", null).body()).contains("\"state\":\"FIRING\"").contains("DeliveryAccountFailure");
            }
        }
    }

    /** The dashboard through the real server: its numbers from the stores, its page and assets, clear refusals. */
    @Test
    void theDashboardAnswersFromItsStoresServesItsPageAndRefusesBadParameters(@TempDir Path dir) throws Exception {
        TopicCatalogue topics = topics("dash");
        try (ScriptedReceiver receiver = new ScriptedReceiver();
             EmbeddedServer server = start("dash", topics, dir, receiver.url("/hook"))) {
            produce(topics, accountFailure("dash-1"), accountFailure("dash-2"), sent("dash-3"));
            HttpResponse<String> summary = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(server, "/api/summary?window=15m", null), r -> r.statusCode() == 200 && r.body().contains("\"failed\":2")
                            && r.body().contains("\"delivered\":1")); // the three statuses come through different partitions, in any order
            assertThat(summary.body()).contains("\"delivered\":1").contains("\"deliveryRate\":0.3333")
                    .contains("\"failedByClassification\":{\"ACCOUNT_FAILURE\":2}");
            assertThat(get(server, "/api/failures?window=15m", null).body()).contains("\"code\":\"64008\"").contains("\"count\":2");
            assertThat(get(server, "/api/deliveries/failed?window=15m", null).body()).contains("dash-2").contains("dash-1")
                    .contains("\"historyUrl\":\"/api/deliveries/dash-2\"");

            for (String bad : List.of("/api/summary?window=2d", "/api/timeseries?window=0m", "/api/breakdown?sort=worst",
                    "/api/failures?limit=0", "/api/deliveries/stuck?limit=many")) {
                HttpResponse<String> refused = get(server, bad, null);
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
                assertThat(refused.headers().firstValue("Content-Type")).as(bad).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
            }
            assertThat(get(server, "/api/summary?window=2d", null).body()).contains("window must be minutes or hours from 1m to 24h");
            HttpResponse<String> history = get(server, "/api/deliveries/dash-1", null);
            assertThat(history.statusCode()).isEqualTo(503);
            assertThat(history.body()).contains("MONITOR_LOOKUP_TOKEN");
            HttpResponse<String> unlisted = get(server, "/api/deliveries/someone-elses-message", null);
            assertThat(unlisted.statusCode()).as("the monitor's token reads only what the page lists").isEqualTo(404);
            assertThat(unlisted.body()).contains("your own token");

            HttpResponse<String> root = get(server, "/", null);
            assertThat(root.statusCode()).isBetween(301, 308);
            assertThat(root.headers().firstValue("Location")).contains("/dashboard/index.html");
            assertThat(get(server, "/dashboard/index.html", null).body()).contains("uPlot.iife.min.js").contains("dashboard.js");
            assertThat(get(server, "/dashboard/dashboard.js", null).statusCode()).isEqualTo(200);
            assertThat(get(server, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null).statusCode()).isEqualTo(200);
            assertThat(get(server, "/swagger/monitor-0.1.yml", null).body()).contains("/api/summary").contains("/api/breakdown");
        }
    }

    /**
     * Two instances: each holds some providers' buckets, and each answers the whole dashboard by asking the other for its
     * share. When one leaves, the other answers 503 or the whole numbers while it takes the share over, never a part.
     */
    @Test
    void theDashboardAddsUpEveryInstancesShareAndNeverAnswersAPart(@TempDir Path dir) throws Exception {
        TopicCatalogue topics = topics("shared");
        List<String> providers = providersOnDistinctPartitions(3);
        int portA = freePort();
        int portB = freePort();
        try (ScriptedReceiver receiver = new ScriptedReceiver();
             EmbeddedServer a = start("shared", topics, dir.resolve("a"), receiver.url("/hook"), Map.of("micronaut.server.port", String.valueOf(portA),
                     "delivery.monitor.application-server", "localhost:" + portA))) {
            EmbeddedServer b = start("shared", topics, dir.resolve("b"), receiver.url("/hook"), Map.of("micronaut.server.port", String.valueOf(portB),
                    "delivery.monitor.application-server", "localhost:" + portB));
            try {
                DashboardPartitions partsA = a.getApplicationContext().getBean(DashboardPartitions.class);
                DashboardPartitions partsB = b.getApplicationContext().getBean(DashboardPartitions.class);
                await().atMost(Duration.ofSeconds(60)).until(() -> !partsA.local().isEmpty() && !partsB.local().isEmpty()
                        && partsA.local().size() + partsB.local().size() == 3);
                for (String provider : providers) {
                    produce(topics, withProvider(sent(provider + "-sent"), provider), withProvider(accountFailure(provider + "-failed"), provider),
                            withProvider(stuck(provider + "-stuck"), provider));
                }
                for (EmbeddedServer server : List.of(a, b)) {
                    HttpResponse<String> summary = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                            .until(() -> get(server, "/api/summary?window=15m", null), r -> r.statusCode() == 200 && r.body().contains("\"delivered\":3,")
                                    && r.body().contains("\"failed\":3,") && r.body().contains("\"stuckNow\":3,"));
                    assertThat(summary.body()).contains("\"becameStuck\":3,")
                            .contains("\"failedByClassification\":{\"ACCOUNT_FAILURE\":3}").contains("\"deliveryRate\":0.5,");
                    String breakdown = get(server, "/api/breakdown?window=15m", null).body();
                    String failures = get(server, "/api/failures?window=15m", null).body();
                    String stuckList = get(server, "/api/deliveries/stuck", null).body();
                    String failedList = get(server, "/api/deliveries/failed?window=15m", null).body();
                    String chart = get(server, "/api/timeseries?window=15m", null).body();
                    for (String provider : providers) {
                        assertThat(breakdown).contains("\"provider\":\"" + provider + "\"");
                        assertThat(failures).contains("{\"provider\":\"" + provider + "\",\"code\":\"64008\"");
                        assertThat(stuckList).contains("\"msgKey\":\"" + provider + "-stuck\"");
                        assertThat(failedList).contains("\"msgKey\":\"" + provider + "-failed\"");
                        assertThat(get(server, "/api/deliveries/" + provider + "-stuck", null).body())
                                .as("listed, wherever its share lives: the history lookup is only not configured here").contains("MONITOR_LOOKUP_TOKEN");
                    }
                    Map<String, Object> series = server.getApplicationContext().getBean(JsonMapper.class).readValue(chart,
                            Argument.mapOf(String.class, Object.class));
                    assertThat(((List<?>) series.get("delivered")).stream().mapToLong(v -> ((Number) v).longValue()).sum())
                            .as("the chart adds the shares up minute by minute").isEqualTo(3);
                }
                LocalDashboard aloneA = a.getApplicationContext().getBean(LocalDashboard.class);
                assertThat(aloneA.summary(DashboardWindow.parse("15m"), System.currentTimeMillis()).delivered())
                        .as("instance A's own stores hold only part: the whole answers above came from adding B's share").isBetween(1L, 2L);
            } finally {
                b.close();
            }
            // A takes B's partitions over (restoring them from their changelogs); meanwhile it answers 503 or everything
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                HttpResponse<String> summary = get(a, "/api/summary?window=15m", null);
                if (summary.statusCode() == 200) {
                    assertThat(summary.body()).as("never a part of the numbers").contains("\"delivered\":3,").contains("\"stuckNow\":3,");
                } else {
                    assertThat(summary.statusCode()).isEqualTo(503);
                    assertThat(summary.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
                }
                return summary.statusCode() == 200 && a.getApplicationContext().getBean(DashboardPartitions.class).local().size() == 3;
            });
        }
    }

    /** Slack: five failures of one suspended account make one readable message (text plus blocks), nothing more. */
    @Test
    void slackGetsOneReadableMessagePerRuleAndProvider(@TempDir Path dir) throws Exception {
        TopicCatalogue topics = topics("slack");
        try (ScriptedReceiver hook = new ScriptedReceiver(); ScriptedReceiver slack = new ScriptedReceiver()) {
            try (EmbeddedServer server = start("slack", topics, dir, hook.url("/hook"),
                    Map.of("delivery.monitor.channels.slack.url", slack.url("/services/T000/B000/test-hook")))) {
                JsonMapper json = server.getApplicationContext().getBean(JsonMapper.class);
                produce(topics, accountFailure("sl-1"), accountFailure("sl-2"), accountFailure("sl-3"), accountFailure("sl-4"),
                        accountFailure("sl-5"));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !slack.requests.isEmpty());
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> slack.requests.size() == 1);
                Map<String, Object> message = json.readValue(slack.requests.get(0).body(), Argument.mapOf(String.class, Object.class));
                assertThat((String) message.get("text")).startsWith(":rotating_light: CRITICAL FIRING:").contains("bizgo")
                        .contains("64008");
                assertThat(message.get("blocks")).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(2);
                assertThat(slack.requests.get(0).headers()).containsEntry("content-type", "application/json");
            }
        }
    }

    /**
     * A real Alertmanager: the account failure arrives with its labels; the monitor's re-posts keep it active past
     * the endsAt of any single post (Alertmanager forgets alerts that are not re-sent); a success resolves it there.
     */
    @Test
    void anAlertReachesARealAlertmanagerStaysActiveThroughRepostsAndResolves(@TempDir Path dir) throws Exception {
        TopicCatalogue topics = topics("am");
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.start(dir); ScriptedReceiver receiver = new ScriptedReceiver()) {
            try (EmbeddedServer server = start("am", topics, dir, receiver.url("/hook"), Map.of(
                    "delivery.monitor.channels.alertmanager.url", alertmanager.url(),
                    "delivery.monitor.channels.alertmanager.repost-interval", "1s",
                    "delivery.monitor.rules.account-failure.resolve-after", "2s"))) {
                JsonMapper json = server.getApplicationContext().getBean(JsonMapper.class);
                produce(topics, accountFailure("am-1"));
                Map<String, Object> alert = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> active(alertmanager, json), Optional::isPresent).orElseThrow();
                assertThat(alert.get("labels")).asInstanceOf(InstanceOfAssertFactories.MAP)
                        .containsEntry("provider", "bizgo").containsEntry("severity", "critical").containsEntry("rule", "account_failure");
                assertThat(alert.get("annotations")).asInstanceOf(InstanceOfAssertFactories.MAP).extractingByKey("summary")
                        .asString().contains("bizgo").contains("64008");
                assertThat(alert.get("status")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("state", "active");
                Instant firstEndsAt = Instant.parse((String) alert.get("endsAt"));
                assertThat(firstEndsAt).isBefore(Instant.now().plusSeconds(5));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> active(alertmanager, json)
                        .map(a -> Instant.parse((String) a.get("endsAt")).isAfter(firstEndsAt.plusSeconds(3))).orElse(false));

                // Prometheus's copy of the same alert (deploy/prometheus, no rule label) is held back by the shipped
                // alertmanager.yml while the monitor's fires: one incident, one alert
                alertmanager.post("[{\"labels\":{\"alertname\":\"DeliveryAccountFailure\",\"provider\":\"bizgo\","
                        + "\"severity\":\"critical\"},\"annotations\":{\"summary\":\"from Prometheus\"}}]");
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(fromPrometheus(alertmanager, json)).isPresent().get().extracting(a -> a.get("status"))
                                .asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("state", "suppressed"));

                produce(topics, sent("am-2"));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> active(alertmanager, json).isEmpty());
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(fromPrometheus(alertmanager, json)).as("no longer held back once the monitor's resolved")
                                .isPresent().get().extracting(a -> a.get("status")).asInstanceOf(InstanceOfAssertFactories.MAP)
                                .containsEntry("state", "active"));
            }
        }
    }

    /** The monitor's account-failure alert at Alertmanager (it carries the rule label). */
    private static Optional<Map<String, Object>> active(AlertmanagerProcess alertmanager, JsonMapper json) throws Exception {
        return accountFailure(alertmanager, json, true);
    }

    private static Optional<Map<String, Object>> fromPrometheus(AlertmanagerProcess alertmanager, JsonMapper json) throws Exception {
        return accountFailure(alertmanager, json, false);
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> accountFailure(AlertmanagerProcess alertmanager, JsonMapper json, boolean monitors)
            throws Exception {
        List<Map<String, Object>> alerts = json.readValue(alertmanager.alerts(), Argument.listOf(Argument.mapOf(String.class, Object.class)));
        return alerts.stream().filter(a -> {
            Map<String, Object> labels = (Map<String, Object>) a.get("labels");
            return "DeliveryAccountFailure".equals(labels.get("alertname")) && labels.containsKey("rule") == monitors;
        }).findFirst();
    }

    @Test
    void badConfigurationFailsAtStartUpNamingTheKey(@TempDir Path dir) {
        TopicCatalogue topics = topics("bad");
        assertThatThrownBy(() -> start("bad", topics, dir, "not a url", Map.of()).close())
                .hasStackTraceContaining("delivery.monitor.channels.webhook.url");
        assertThatThrownBy(() -> start("bad", topics, dir, "http://127.0.0.1:9/hook",
                Map.of("delivery.monitor.channels.slack.url", "ftp://hooks.slack.com/services/x")).close())
                .hasStackTraceContaining("delivery.monitor.channels.slack.url must be an http:// or https:// URL")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("hooks.slack.com"));
        assertThatThrownBy(() -> start("bad", topics, dir, "http://127.0.0.1:9/hook",
                Map.of("delivery.monitor.rules.failure-rat.threshold", "0.5")).close())
                .hasStackTraceContaining("delivery.monitor.rules.failure-rat.threshold").hasStackTraceContaining("unknown rule");
        assertThatThrownBy(() -> start("bad", topics, dir, "http://127.0.0.1:9/hook",
                Map.of("delivery.monitor.rules.failure-rate.threshold", "1.5")).close())
                .hasStackTraceContaining("delivery.monitor.rules.failure-rate.threshold=1.5: out of range");
        assertThatThrownBy(() -> start("bad", topics, dir, "http://127.0.0.1:9/hook",
                Map.of("delivery.monitor.rules.failure-rate.providers.bizgoo.threshold", "0.5")).close())
                .hasStackTraceContaining("unknown provider 'bizgoo'");
        assertThatThrownBy(() -> start("bad", topics, dir, "http://127.0.0.1:9/hook",
                Map.of("delivery.monitor.channels.webhook.secret", "")).close())
                .hasStackTraceContaining("delivery.monitor.channels.webhook.secret is required");
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    static DeliveryStatus accountFailure(String msgKey) {
        Instant now = Instant.now();
        return DeliveryStatus.newBuilder().setEventId(msgKey + "-2").setMsgKey(msgKey).setStatus(DeliveryState.DEAD_LETTER)
                .setPreviousStatus(DeliveryState.PENDING).setClassification(Classification.ACCOUNT_FAILURE).setCode("64008")
                .setText("No permission").setProvider("bizgo").setChannel(Channel.ALIMTALK).setOrigin("billing")
                .setTemplateCode("TPL").setAcceptedAt(now.minusSeconds(2)).setResolvedAt(now).build();
    }

    static DeliveryStatus sent(String msgKey) {
        Instant now = Instant.now();
        return DeliveryStatus.newBuilder().setEventId(msgKey + "-2").setMsgKey(msgKey).setStatus(DeliveryState.SENT)
                .setPreviousStatus(DeliveryState.PENDING).setProvider("bizgo").setChannel(Channel.ALIMTALK).setOrigin("billing")
                .setTemplateCode("TPL").setAcceptedAt(now.minusSeconds(2)).setResolvedAt(now).build();
    }

    static DeliveryStatus stuck(String msgKey) {
        Instant now = Instant.now();
        return DeliveryStatus.newBuilder().setEventId(msgKey + "-2").setMsgKey(msgKey).setStatus(DeliveryState.STUCK_PENDING)
                .setPreviousStatus(DeliveryState.PENDING).setClassification(Classification.NO_REPORT).setProvider("bizgo")
                .setChannel(Channel.ALIMTALK).setOrigin("billing").setTemplateCode("TPL").setAcceptedAt(now.minusSeconds(600))
                .setResolvedAt(now).build();
    }

    static DeliveryStatus withProvider(DeliveryStatus status, String provider) {
        return DeliveryStatus.newBuilder(status).setProvider(provider).build();
    }

    /** Provider names that the by-provider repartition (3 partitions, the default partitioner) puts on distinct partitions. */
    static List<String> providersOnDistinctPartitions(int count) {
        Map<Integer, String> byPartition = new java.util.TreeMap<>();
        for (int i = 0; byPartition.size() < count; i++) {
            byte[] key = ("provider-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byPartition.putIfAbsent(org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % 3,
                    "provider-" + i);
        }
        return List.copyOf(byPartition.values());
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static TopicCatalogue topics(String prefix) {
        TopicCatalogue topics = TopicCatalogue.fromConfig(Map.of(
                "delivery.topics.status", prefix + ".status",
                "delivery.topics.alerts", prefix + ".alerts",
                "delivery.topics.dead-records", prefix + ".dead"));
        KAFKA.broker().createTopic(topics.status().name(), 3);
        KAFKA.broker().createTopic(topics.alerts().name(), 3);
        KAFKA.broker().createTopic(topics.deadRecords().name(), 1);
        return topics;
    }

    static EmbeddedServer start(String prefix, TopicCatalogue topics, Path dir, String webhookUrl) {
        return start(prefix, topics, dir, webhookUrl, Map.of());
    }

    static EmbeddedServer start(String prefix, TopicCatalogue topics, Path dir, String webhookUrl, Map<String, String> more) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
        props.put("schema.registry.url", "mock://" + REGISTRY);
        props.put("schema.registry.auto-register", true);
        props.put("delivery.topics.status", topics.status().name());
        props.put("delivery.topics.alerts", topics.alerts().name());
        props.put("delivery.topics.dead-records", topics.deadRecords().name());
        props.put("delivery.monitor.application-id", "monitor-" + prefix);
        props.put("delivery.monitor.state-dir", dir.resolve("state").toString());
        props.put("delivery.monitor.failed-dir", dir.resolve("failed").toString());
        props.put("delivery.monitor.evaluation-interval", "1s");
        props.put("delivery.monitor.admin-token", TOKEN);
        props.put("delivery.monitor.streams.commit.interval.ms", 100);
        props.put("delivery.monitor.close-timeout", "10s");
        props.put("delivery.monitor.channels.webhook.url", webhookUrl);
        props.put("delivery.monitor.channels.webhook.secret", SECRET);
        props.put("delivery.monitor.channels.webhook.initial-backoff", "200ms");
        props.put("delivery.monitor.channels.webhook.max-backoff", "2s");
        props.putAll(more);
        return DeliveryService.MONITOR.start(props);
    }

    static void produce(TopicCatalogue topics, DeliveryStatus... statuses) {
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(REGISTRY), true);
        try (KafkaProducer<String, DeliveryStatus> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()), topics.status().keySerde(serdes).serializer(), topics.status().valueSerde(serdes).serializer())) {
            for (DeliveryStatus s : statuses) {
                producer.send(new ProducerRecord<>(topics.status().name(), null, s.getResolvedAt().toEpochMilli(), s.getMsgKey(), s));
            }
        }
    }

    static HttpResponse<String> get(EmbeddedServer server, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(EmbeddedServer server, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
