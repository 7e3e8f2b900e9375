package dev.deliverytracker.kafka.embedded;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerTest {

    @Test
    void transactionalRecordsCrossTheBrokerAndSurviveARestartOnTheSameLogDir(@TempDir Path dir) throws Exception {
        String bootstrap;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(dir).build().start()) {
            kafka.createTopic("t", 3);
            bootstrap = kafka.bootstrapServers();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1"), new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("t", "k" + i, "v" + i));
                }
                producer.commitTransaction();
                // an aborted transaction must stay invisible to read_committed consumers
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "aborted", "x"));
                producer.flush();
                producer.abortTransaction();
            }
            assertThat(readCommitted(bootstrap, 10)).hasSize(10).doesNotContain("x");
        }
        assertThat(dir.resolve("meta.properties")).exists();

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(dir).build().start()) {
            List<String> values = readCommitted(kafka.bootstrapServers(), 10);
            assertThat(values).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
        assertThat(dir).exists(); // a caller-owned directory is never deleted
    }

    @Test
    void temporaryLogDirIsDeletedOnClose() {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        Path dir = kafka.logDir();
        assertThat(dir).exists();
        kafka.close();
        kafka.close();
        assertThat(dir).doesNotExist();
    }

    private static List<String> readCommitted(String bootstrap, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "g-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("t"));
            // the quiet period proves nothing more (the aborted record) arrives
            TopicReader.readAtLeast(consumer, expected, Duration.ofSeconds(30), Duration.ofMillis(500))
                    .forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
