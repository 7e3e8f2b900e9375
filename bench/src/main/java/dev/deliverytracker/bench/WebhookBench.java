package dev.deliverytracker.bench;

import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.webhook.security.HmacSignatures;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * webhook-ingest under load from {@code wrk} on loopback: signed Bizgo reports stored in Kafka ({@code acks=all},
 * idempotent), against the same server with the Kafka write replaced by nothing, measured in the same run and
 * alternated. Needs {@code wrk} (Debian package). {@code -Dseconds=N} per run (default 20), {@code -Dconnections=N}
 * (default 50).
 */
final class WebhookBench {

    private static final String SECRET = "bench-secret";
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    private WebhookBench() {
    }

    private record Run(double rate, String p50, String p99, long errors) {
    }

    static void run() {
        int seconds = Integer.getInteger("seconds", 20);
        int connections = Integer.getInteger("connections", 50);
        String scope = "bench-webhook";
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            kafka.createTopic(TopicCatalogue.defaults().reports().name(), 6);
            Map<String, Object> props = new HashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            props.put("schema.registry.url", "mock://" + scope);
            props.put("schema.registry.auto-register", true);
            // status-stream's application.yml comes first on this shared classpath: give webhook-ingest's settings here
            props.put("delivery.webhooks.providers.bizgo.paths", "/webhooks/bizgo");
            props.put("delivery.webhooks.providers.bizgo.secrets", SECRET);
            props.put("delivery.webhooks.providers.bizgo.allowed-sources", "127.0.0.1");
            props.put("logger.levels.dev.deliverytracker", "ERROR");
            props.put("delivery.status-stream.enabled", false);
            Map<String, Object> baselineProps = new HashMap<>(props);
            baselineProps.put("bench.baseline", true);
            Path script = script();
            System.out.println("| round | server | reports/s | p50 | p99 | non-2xx |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
            double[] ratios = new double[2];
            for (int round = 1; round <= 2; round++) {
                Run baseline;
                Run stored;
                try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, baselineProps)) {
                    wrk(server, script, 5, connections); // warm-up
                    baseline = wrk(server, script, seconds, connections);
                }
                try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                    wrk(server, script, 5, connections);
                    stored = wrk(server, script, seconds, connections);
                }
                print(round, "answers 200, no Kafka (baseline)", baseline);
                print(round, "stores in Kafka, acks=all", stored);
                ratios[round - 1] = stored.rate() / baseline.rate();
            }
            System.out.printf(Locale.ROOT, "%nratio stored / baseline: %.2f, %.2f (mean %.2f); %d connections, %d s per run, wrk on loopback%n",
                    ratios[0], ratios[1], (ratios[0] + ratios[1]) / 2, connections, seconds);
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static void print(int round, String server, Run run) {
        System.out.printf(Locale.ROOT, "| %d | %s | %,.0f | %s | %s | %d |%n", round, server, run.rate(), run.p50(), run.p99(), run.errors());
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
        try {
            Path file = Files.createTempFile("bench-webhook", ".lua");
            Files.writeString(file, lua);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run wrk(EmbeddedServer server, Path script, int seconds, int connections) {
        List<String> command = List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), "http://127.0.0.1:" + server.getPort() + "/webhooks/bizgo");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher rate = RATE.matcher(output);
            if (!rate.find()) {
                throw new IllegalStateException("wrk printed no rate:\n" + output);
            }
            Matcher errors = NON_2XX.matcher(output);
            return new Run(Double.parseDouble(rate.group(1)), percentile(output, "50%"), percentile(output, "99%"),
                    errors.find() ? Long.parseLong(errors.group(1)) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run wrk (apt-get install wrk)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String percentile(String output, String which) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(which) + "\\s+(\\S+)", Pattern.MULTILINE).matcher(output);
        return m.find() ? m.group(1) : "?";
    }
}
