package dev.deliverytracker.bench;

import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.DeliveryService;
import io.micronaut.runtime.server.EmbeddedServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * send-service under load from {@code wrk} on loopback: {@code POST /v1/messages} (validate, call the fake Bizgo over
 * HTTP, record the send event in Kafka with acks=all, answer 202), against the same load generator calling the fake
 * Bizgo's send API directly with the equivalent request: the overhead of send-service on top of the provider call.
 * Measured in the same run, alternated, two rounds. {@code -Dseconds=N} (default 20), {@code -Dconnections=N} (default 50).
 */
final class SendBench {

    private static final String API_KEY = "bench-bizgo-key";
    private static final String TOKEN = "bench-producer-token";

    private SendBench() {
    }

    static void run() {
        int seconds = Integer.getInteger("seconds", 20);
        int connections = Integer.getInteger("connections", 50);
        String scope = "bench-send";
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
             FakeBizgo bizgo = FakeBizgo.builder(API_KEY).threads(32).start()) {
            kafka.createTopic(TopicCatalogue.defaults().sends().name(), 6);
            Path outbox = Files.createTempDirectory("bench-send-outbox");
            Map<String, Object> props = new HashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            props.put("schema.registry.url", "mock://" + scope);
            props.put("schema.registry.auto-register", true);
            props.put("delivery.send-service.outbox-dir", outbox.toString());
            props.put("delivery.send-service.recipient-hash-key", "bench-recipient-hash-key-0123456789");
            props.put("delivery.send-service.client-tokens", "bench=" + TOKEN);
            props.put("delivery.providers.bizgo.base-url", bizgo.baseUrl());
            props.put("delivery.providers.bizgo.api-key", API_KEY);
            props.put("delivery.providers.bizgo.sender-key", "bench-sender");
            props.put("delivery.providers.bizgo.sms-from", "0212345678");
            props.put("logger.levels.dev.deliverytracker", "ERROR");
            Path viaService = Wrk.script("bench-send", lua(
                    "wrk.headers[\"Authorization\"] = \"Bearer " + TOKEN + "\"",
                    "{\"to\":\"010-1234-%04d\",\"origin\":\"bench\",\"ref\":\"bench-%d\","
                            + "\"flow\":[{\"channel\":\"ALIMTALK\",\"templateCode\":\"BENCH\",\"text\":\"Hi #{name}\"},"
                            + "{\"channel\":\"SMS\",\"text\":\"Hi #{name}\"}],\"variables\":{\"name\":\"Kim\"}}"));
            Path direct = Wrk.script("bench-bizgo", lua(
                    "wrk.headers[\"Authorization\"] = \"" + API_KEY + "\"",
                    "{\"destinations\":[{\"to\":\"0101234%04d\",\"replaceWords\":{\"name\":\"Kim\"}}],\"ref\":\"bench-%d\","
                            + "\"messageFlow\":[{\"alimtalk\":{\"senderKey\":\"bench-sender\",\"templateCode\":\"BENCH\",\"msgType\":\"AT\",\"text\":\"Hi #{name}\"}},"
                            + "{\"sms\":{\"from\":\"0212345678\",\"text\":\"Hi #{name}\"}}]}"));
            System.out.println("| round | path | requests/s | p50 | p99 | non-2xx |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
            double[] ratios = new double[2];
            try (EmbeddedServer server = DeliveryService.SEND_SERVICE.start(props)) {
                String serviceUrl = "http://127.0.0.1:" + server.getPort() + "/v1/messages";
                String bizgoUrl = bizgo.baseUrl() + FakeBizgo.SEND_PATH;
                Wrk.run(serviceUrl, viaService, 5, connections); // warm-up both
                Wrk.run(bizgoUrl, direct, 5, connections);
                for (int round = 1; round <= 2; round++) {
                    Wrk.Run baseline = Wrk.run(bizgoUrl, direct, seconds, connections);
                    Wrk.Run service = Wrk.run(serviceUrl, viaService, seconds, connections);
                    baseline.print(round, "fake Bizgo directly (baseline)");
                    service.print(round, "send-service → fake Bizgo, event in Kafka");
                    ratios[round - 1] = service.rate() / baseline.rate();
                }
            }
            System.out.printf(Locale.ROOT, "%nratio send-service / direct: %.2f, %.2f (mean %.2f); %d connections, %d s per run, wrk on loopback%n",
                    ratios[0], ratios[1], (ratios[0] + ratios[1]) / 2, connections, seconds);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    /** A wrk script posting {@code bodyFormat} (with a recipient number and a counter filled in) with one extra header. */
    private static String lua(String headerLine, String bodyFormat) {
        return String.join("\n",
                "wrk.method = \"POST\"",
                "wrk.headers[\"Content-Type\"] = \"application/json\"",
                headerLine,
                "local n = 0",
                "request = function()",
                "  n = n + 1",
                "  return wrk.format(nil, nil, nil, string.format('" + bodyFormat + "', n % 8000, n))",
                "end", "");
    }
}
