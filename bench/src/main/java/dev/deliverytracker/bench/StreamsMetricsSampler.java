package dev.deliverytracker.bench;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Kafka Streams metrics that say where a status-stream's time goes, from {@link KafkaStreams#metrics()}:
 * the stream thread's commit latency and rate, process rate, records per poll and punctuation latency; its producer's
 * record queue time and request latency; its main consumer's fetch latency and largest lag. With several clients of
 * a kind (threads), the largest value is shown.
 */
final class StreamsMetricsSampler {

    /** A column: metric group, metric name, and the heading printed for it. */
    private record Column(String group, String name, String heading, boolean excludeRestore) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("stream-thread-metrics", "commit-latency-avg", "commit avg ms", false),
            new Column("stream-thread-metrics", "commit-latency-max", "commit max ms", false),
            new Column("stream-thread-metrics", "commit-rate", "commits/s", false),
            new Column("stream-thread-metrics", "process-rate", "process/s", false),
            new Column("stream-thread-metrics", "poll-records-avg", "records/poll", false),
            new Column("stream-thread-metrics", "punctuate-latency-avg", "punctuate avg ms", false),
            new Column("producer-metrics", "record-queue-time-avg", "producer queue ms", false),
            new Column("producer-metrics", "request-latency-avg", "produce request ms", false),
            new Column("consumer-fetch-manager-metrics", "fetch-latency-avg", "fetch ms", true),
            new Column("consumer-fetch-manager-metrics", "records-lag-max", "records-lag-max", true));

    private final KafkaStreams streams;

    StreamsMetricsSampler(KafkaStreams streams) {
        this.streams = streams;
    }

    static String header() {
        StringBuilder header = new StringBuilder("| t (s) |");
        StringBuilder rule = new StringBuilder("| ---: |");
        for (Column column : COLUMNS) {
            header.append(' ').append(column.heading()).append(" |");
            rule.append(" ---: |");
        }
        return header + "\n" + rule;
    }

    /** One row of the current values, at {@code second} seconds into the run. */
    String row(long second) {
        Map<Column, Double> values = new LinkedHashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            for (Column column : COLUMNS) {
                if (!column.group().equals(name.group()) || !column.name().equals(name.name())
                        || name.tags().containsKey("topic") || name.tags().containsKey("partition")) {
                    continue;
                }
                String client = name.tags().getOrDefault("client-id", "");
                if (column.excludeRestore() && client.contains("restore")) {
                    continue;
                }
                Object value = entry.getValue().metricValue();
                if (value instanceof Number number && !Double.isNaN(number.doubleValue()) && !Double.isInfinite(number.doubleValue())) {
                    values.merge(column, number.doubleValue(), Math::max);
                }
            }
        }
        StringBuilder row = new StringBuilder("| " + second + " |");
        for (Column column : COLUMNS) {
            Double value = values.get(column);
            row.append(' ').append(value == null ? "-" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value)).append(" |");
        }
        return row.toString();
    }
}
