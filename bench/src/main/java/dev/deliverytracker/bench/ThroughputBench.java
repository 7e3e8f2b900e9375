package dev.deliverytracker.bench;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.schemas.topics.TopicId;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.status.rules.StatusRules;
import dev.deliverytracker.status.topology.StatusTopology;
import dev.deliverytracker.status.topology.StatusTopologyConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;

/**
 * status-stream's throughput against the practical ceiling of one Kafka Streams hop on this machine: a pass-through
 * app (bytes in, bytes out, exactly_once_v2) over the same records, the same partition count and the same broker,
 * measured in the same run and alternated (baseline, status, baseline, status) so drift hits both.
 *
 * <p>Input: N deliveries = N sends + N reports (2N records). status-stream emits PENDING and SENT per delivery
 * (2N records); the pass-through copies its 2N input records. Figure: input records per second, from start until
 * the last output is readable by a read_committed consumer. {@code -Ddeliveries=N} (default 200,000).
 *
 * <p>A warm-up round of both apps runs first and is not counted ({@code -DwarmupRounds=N}, default 1): the first run
 * of each in a JVM pays for the JIT. Each run also reports where the CPU went, per input record: the app's stream
 * thread and producer network thread (thread CPU time), the rest of this JVM and the broker's JVM (process CPU time),
 * the latter being the cost of what the app writes. {@code -Dstreams.<property>=<value>} applies to both apps.
 */
final class ThroughputBench {

    private static final int PARTITIONS = 6;
    private static final int ROUNDS = 2;

    private ThroughputBench() {
    }

    static void run() {
        int deliveries = Integer.getInteger("deliveries", 200_000);
        String scope = "bench-throughput";
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(scope), true);
        try (BenchBroker kafka = BenchBroker.start()) {
            TopicCatalogue inputs = TopicCatalogue.defaults();
            kafka.createTopic(inputs.sends().name(), PARTITIONS);
            kafka.createTopic(inputs.reports().name(), PARTITIONS);
            kafka.createTopic("bench.passthrough.in", PARTITIONS);
            long bytes = produceInputs(kafka, inputs, serdes, deliveries);
            System.err.printf(Locale.ROOT, "inputs: %,d records, %.0f bytes per record on average%n", 2L * deliveries, bytes / (2.0 * deliveries));

            // Warm-up rounds run both apps once and are discarded: the first run of each pays for the JIT compiling its
            // code (about three times slower than the next on these machines), which is not the app's steady cost.
            int warmups = Integer.getInteger("warmupRounds", 1);
            List<Rate[]> rounds = new ArrayList<>();
            for (int round = 1; round <= warmups + ROUNDS; round++) {
                String out = "bench.passthrough.out." + round;
                kafka.createTopic(out, PARTITIONS);
                Rate baseline = measure(kafka, "passthrough-" + round, passThrough(out), out, 2L * deliveries, serdes);

                TopicCatalogue topics = TopicCatalogue.fromConfig(Map.of(
                        TopicId.STATUS.configKey(), "bench.status." + round,
                        TopicId.DEAD_RECORDS.configKey(), "bench.dead." + round));
                kafka.createTopic(topics.status().name(), PARTITIONS);
                kafka.createTopic(topics.deadRecords().name(), 1);
                Topology status = StatusTopology.build(StatusTopologyConfig.defaults(topics, StatusRules.defaults()),
                        serdes, DeliveryMetrics.NONE);
                Rate measured = measure(kafka, "status-" + round, status, topics.status().name(), 2L * deliveries, serdes);
                rounds.add(new Rate[]{baseline, measured});
            }

            System.out.println();
            System.out.println("| round | pass-through, from start | status-stream, from start | ratio "
                    + "| pass-through, steady | status-stream, steady | ratio |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            double sumRatio = 0;
            double sumSteady = 0;
            for (int i = 0; i < rounds.size(); i++) {
                Rate base = rounds.get(i)[0];
                Rate status = rounds.get(i)[1];
                boolean warmup = i < warmups;
                if (!warmup) {
                    sumRatio += status.fromStart() / base.fromStart();
                    sumSteady += status.steady() / base.steady();
                }
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %,.0f | %,.0f | %.2f |%n",
                        warmup ? (i + 1) + " (warm-up, not counted)" : String.valueOf(i + 1),
                        base.fromStart(), status.fromStart(), status.fromStart() / base.fromStart(),
                        base.steady(), status.steady(), status.steady() / base.steady());
            }
            System.out.printf(Locale.ROOT, "| mean | | | **%.2f** | | | **%.2f** |%n", sumRatio / ROUNDS, sumSteady / ROUNDS);
            System.out.println();
            System.out.println("Input records/s. From start: start() until the last output is readable (read_committed). "
                    + "Steady: the same, over the last three quarters of the outputs (start-up, rebalance and store opening excluded).");
            System.out.printf(Locale.ROOT, "%n%,d deliveries (%,d input records), %d partitions, exactly_once_v2, %s%n",
                    deliveries, 2L * deliveries, PARTITIONS, kafka.describe());
            System.out.println();
            System.out.println("Where the CPU went, per input record (from start to the last output; µs of CPU, "
                    + "thread CPU times and each JVM's process CPU time):");
            System.out.println();
            System.out.println("| round | app | wall s | stream thread | its producer's network thread | rest of the benchmark JVM "
                    + "| broker JVM | total | cores busy | commits | commit avg ms |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (int i = 0; i < rounds.size(); i++) {
                String round = i < warmups ? (i + 1) + " (warm-up)" : String.valueOf(i + 1);
                System.out.println(rounds.get(i)[0].cpu().row(round, "pass-through", 2L * deliveries));
                System.out.println(rounds.get(i)[1].cpu().row(round, "status-stream", 2L * deliveries));
            }
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    /** Writes N sends and N reports, and the same raw records to the pass-through input. Returns the value bytes. */
    private static long produceInputs(BenchBroker kafka, TopicCatalogue topics, SerdeSettings serdes, int deliveries) {
        var sendSerializer = topics.sends().valueSerde(serdes).serializer();
        var reportSerializer = topics.reports().valueSerde(serdes).serializer();
        Progress progress = new Progress("produce", deliveries);
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"), new ByteArraySerializer(), new ByteArraySerializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < deliveries; i++) {
                String msgKey = "b" + i;
                byte[] key = msgKey.getBytes(StandardCharsets.UTF_8);
                SendEvent send = acceptedSend(msgKey, now).build();
                ProviderReport report = report(msgKey, Channel.ALIMTALK, "10000", now).build();
                byte[] sendBytes = sendSerializer.serialize(topics.sends().name(), send);
                byte[] reportBytes = reportSerializer.serialize(topics.reports().name(), report);
                bytes += sendBytes.length + reportBytes.length;
                producer.send(new ProducerRecord<>(topics.sends().name(), null, now.toEpochMilli(), key, sendBytes));
                producer.send(new ProducerRecord<>(topics.reports().name(), null, now.toEpochMilli(), key, reportBytes));
                producer.send(new ProducerRecord<>("bench.passthrough.in", null, now.toEpochMilli(), key, sendBytes));
                producer.send(new ProducerRecord<>("bench.passthrough.in", null, now.toEpochMilli(), key, reportBytes));
                if (i % 10_000 == 0) {
                    progress.update(i);
                }
            }
            producer.flush();
            progress.update(deliveries);
        }
        return bytes;
    }

    private static Topology passThrough(String out) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("bench.passthrough.in", Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    /** Input records/s from start() to the last output, and over the last three quarters (start-up excluded). */
    private record Rate(double fromStart, double steady, CpuSplit cpu) {
    }

    private static Rate measure(BenchBroker kafka, String name, Topology topology, String output, long expected,
                                  SerdeSettings serdes) {
        Path state;
        try {
            state = Files.createTempDirectory("bench-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("threads", 1));
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // -DbenchOpts="-Dstreams.<property>=<value>" tries a Kafka Streams setting, on both apps so the ratio stays fair
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("streams."))
                .forEach(k -> props.put(k.substring("streams.".length()), System.getProperty(k)));
        Progress progress = new Progress(name, expected);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + name,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaStreams streams = new KafkaStreams(topology, props)) {
            consumer.subscribe(List.of(output));
            consumer.poll(Duration.ofMillis(100));
            long started = System.nanoTime();
            Cpu before = Cpu.now(kafka);
            streams.start();
            long seen = 0;
            long warmSeen = -1;
            long warmAt = 0;
            long deadline = started + Duration.ofMinutes(5).toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                seen += consumer.poll(Duration.ofMillis(100)).count();
                progress.update(seen);
                if (warmSeen < 0 && seen >= expected / 4) {
                    warmSeen = seen;
                    warmAt = System.nanoTime();
                }
            }
            long ended = System.nanoTime();
            CpuSplit cpu = CpuSplit.of(name, streams, before, Cpu.now(kafka));
            if (seen < expected) {
                throw new IllegalStateException(name + ": only " + seen + " of " + expected + " outputs within 5 minutes");
            }
            // one output per input in both apps
            // NaN when the last three quarters arrived in one poll (a run too small to have a steady state)
            double steady = warmSeen < expected ? (expected - warmSeen) / ((ended - warmAt) / 1e9) : Double.NaN;
            return new Rate(expected / ((ended - started) / 1e9), steady, cpu);
        }
    }

    /** CPU used during one measured run: this JVM, the broker's JVM, and the app's own threads by kind. */
    private record Cpu(long process, long broker, long wall) {
        static Cpu now(BenchBroker kafka) {
                        return new Cpu(CpuTimes.process(), kafka.cpuNanos(), System.nanoTime());
        }
    }

    /**
     * Where the two cores went during one run, in CPU nanoseconds: the app's stream thread(s) and producer network
     * thread(s) (threads started for this run, so their whole CPU time is the run's), the rest of this JVM (the
     * reading consumer, GC, the JIT), and the broker's JVM (-1 when it shares this JVM); plus Kafka Streams' commit count
     * and latency.
     */
    private record CpuSplit(double wallSeconds, long stream, long producer, long restOfJvm, long broker, double commits,
                            double commitAvgMs) {

        static CpuSplit of(String app, KafkaStreams streams, Cpu before, Cpu after) {
                        String own = "bench-" + app + "-";
            long producer = CpuTimes.threads(name -> name.contains(own) && name.contains("producer-network-thread"));
            long stream = CpuTimes.threads(name -> name.contains(own) && name.matches(".*StreamThread-\\d+$"));
            Map<String, Double> metrics = new java.util.HashMap<>();
            streams.metrics().forEach((metricName, metric) -> {
                if (metricName.group().equals("stream-thread-metrics") && metric.metricValue() instanceof Number number
                        && (metricName.name().equals("commit-total") || metricName.name().equals("commit-latency-avg"))) {
                    metrics.merge(metricName.name(), number.doubleValue(), Double::sum);
                }
            });
            long process = after.process() - before.process();
            return new CpuSplit((after.wall() - before.wall()) / 1e9, stream, producer, process - stream - producer,
                    before.broker() < 0 ? -1 : after.broker() - before.broker(),
                    metrics.getOrDefault("commit-total", Double.NaN), metrics.getOrDefault("commit-latency-avg", Double.NaN));
        }

        String row(String round, String app, long records) {
            long total = stream + producer + restOfJvm + Math.max(0, broker);
            return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %s | %.1f | %.2f | %.0f | %.0f |",
                    round, app, wallSeconds, stream / 1e3 / records, producer / 1e3 / records, restOfJvm / 1e3 / records,
                    broker < 0 ? "(in the JVM)" : String.format(Locale.ROOT, "%.1f", broker / 1e3 / records),
                    total / 1e3 / records, total / 1e9 / wallSeconds, commits, commitAvgMs);
        }
    }
}
