package dev.deliverytracker.bench;

import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.webhook.security.HmacSignatures;
import dev.deliverytracker.support.DeliveryService;
import io.micronaut.runtime.server.EmbeddedServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * webhook-ingest under load from {@code wrk} on loopback: signed Bizgo reports stored in Kafka ({@code acks=all},
 * idempotent), against the same server with the Kafka write replaced by nothing, measured in the same run and
 * alternated. Needs {@code wrk} (Debian package). {@code -Dseconds=N} per run (default 20), {@code -Dconnections=N}
 * (default 50).
 */
final class WebhookBench {

    private static final String SECRET = "bench-secret";

    private WebhookBench() {
    }

    static void run() {
        int seconds = Integer.getInteger("seconds", 20);
        int connections = Integer.getInteger("connections", 50);
        String scope = "bench-webhook";
        try (BenchBroker kafka = BenchBroker.start()) {
            kafka.createTopic(TopicCatalogue.defaults().reports().name(), 6);
            Map<String, Object> props = BenchServices.bizgoWebhookProps(kafka.bootstrapServers(), scope, SECRET);
            Map<String, Object> baselineProps = new HashMap<>(props);
            baselineProps.put("bench.baseline", true);
            Path script = script();
            System.out.println("| round | server | reports/s | p50 | p99 | non-2xx |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
            double[] ratios = new double[2];
            for (int round = 1; round <= 2; round++) {
                Wrk.Run baseline;
                Wrk.Run stored;
                try (EmbeddedServer server = DeliveryService.WEBHOOK_INGEST.start(baselineProps)) {
                    wrk(server, script, 5, connections); // warm-up
                    baseline = wrk(server, script, seconds, connections);
                }
                try (EmbeddedServer server = DeliveryService.WEBHOOK_INGEST.start(props)) {
                    wrk(server, script, 5, connections);
                    stored = wrk(server, script, seconds, connections);
                }
                baseline.print(round, "answers 200, no Kafka (baseline)");
                stored.print(round, "stores in Kafka, acks=all");
                ratios[round - 1] = stored.rate() / baseline.rate();
            }
            System.out.printf(Locale.ROOT, "%nratio stored / baseline: %.2f, %.2f (mean %.2f); %d connections, %d s per run, wrk on loopback; %s%n",
                    ratios[0], ratios[1], (ratios[0] + ratios[1]) / 2, connections, seconds, kafka.describe());
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    /** A wrk script posting signed Bizgo reports, each with its own msgKey. The signature covers the timestamp only. */
    private static Path script() {
        String ts = Long.toString(Instant.now().toEpochMilli());
        String signature = HexFormat.of().formatHex(HmacSignatures.hmac(SECRET.getBytes(StandardCharsets.UTF_8), ts.getBytes(StandardCharsets.UTF_8)));
        String lua = String.join("\n",
                "wrk.method = \"POST\"",
                "wrk.headers[\"Content-Type\"] = \"application/json\"",
                "wrk.headers[\"X-IB-Timestamp\"] = \"" + ts + "\"",
                "wrk.headers[\"X-IB-Signature\"] = \"" + signature + "\"",
                "local n = 0",
                "request = function()",
                "  n = n + 1",
                "  local body = string.format('{\"msgKey\":\"bench-%d-%d\",\"serviceType\":\"ALIMTALK\",\"msgType\":\"AT\","
                        + "\"reportType\":\"RPT\",\"reportCode\":\"10000\",\"reportText\":\"success\","
                        + "\"sendTime\":\"2026-11-22T12:00:00.000+09:00\",\"reportTime\":\"2026-11-22T12:00:01.000+09:00\","
                        + "\"carrier\":\"SKT\",\"ref\":\"order\"}', math.random(1000000000), n)",
                "  return wrk.format(nil, nil, nil, body)",
                "end", "");
        return Wrk.script("bench-webhook", lua);
    }

    private static Wrk.Run wrk(EmbeddedServer server, Path script, int seconds, int connections) {
        return Wrk.run("http://127.0.0.1:" + server.getPort() + "/webhooks/bizgo", script, seconds, connections);
    }
}
