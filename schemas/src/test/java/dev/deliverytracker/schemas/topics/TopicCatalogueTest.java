package dev.deliverytracker.schemas.topics;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicCatalogueTest {

    @Test
    void defaultsNameEveryTopic() {
        TopicCatalogue topics = TopicCatalogue.defaults();
        assertThat(topics.all()).extracting(Topic::name)
                .containsExactly("delivery.sends", "delivery.reports", "delivery.status", "delivery.dead-records",
                        "delivery.alerts");
        assertThat(topics.alerts().id()).isEqualTo(TopicId.ALERTS);
        assertThat(topics.sends().id()).isEqualTo(TopicId.SENDS);
    }

    @Test
    void namesComeFromConfigAndOtherKeysAreIgnored() {
        TopicCatalogue topics = TopicCatalogue.fromConfig(Map.of(
                "delivery.topics.sends", "prod.sends",
                "delivery.topics.status", " prod.status ",
                "bootstrap.servers", "x:9092"));
        assertThat(topics.sends().name()).isEqualTo("prod.sends");
        assertThat(topics.status().name()).isEqualTo("prod.status");
        assertThat(topics.reports().name()).isEqualTo("delivery.reports");
        assertThat(topics.name(TopicId.STATUS)).isEqualTo("prod.status");
    }

    @Test
    void invalidConfigFailsAtStartUpNamingTheKey() {
        assertThatThrownBy(() -> TopicCatalogue.fromConfig(Map.of("delivery.topics.sends", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delivery.topics.sends");
        assertThatThrownBy(() -> TopicCatalogue.fromConfig(Map.of("delivery.topics.sends", "bad name!")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delivery.topics.sends");
        assertThatThrownBy(() -> TopicCatalogue.fromConfig(Map.of("delivery.topics.sendz", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delivery.topics.sendz").hasMessageContaining("unknown topic");
        assertThatThrownBy(() -> TopicCatalogue.fromConfig(Map.of("delivery.topics.status", "delivery.reports")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delivery.topics.");
    }

    /** No topic name is written anywhere in production code but TopicId. */
    @Test
    void noTopicNameLiteralOutsideTheCatalogue() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> names = Stream.of(TopicId.values()).map(id -> '"' + id.defaultName() + '"').toList();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> offenders = files
                    .filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/"))
                    .filter(p -> !p.getFileName().toString().equals("TopicId.java"))
                    .filter(p -> {
                        try {
                            String text = Files.readString(p);
                            return names.stream().anyMatch(text::contains);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
            assertThat(offenders).as("topic names written outside TopicId").isEmpty();
        }
    }
}
