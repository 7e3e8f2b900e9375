package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.serde.RequiredSchemas;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.RegistryProperties;
import dev.deliverytracker.support.StreamFailureHandler;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Starts the NCP SENS result collector ({@code delivery.collectors.ncp-sens.enabled=true}, wired by
 * {@link SensCollectorFactory}) once the schemas it reads and writes are known, and closes it on shutdown, leaving
 * the group so another instance takes its partitions over at once.
 */
@Context
@Requires(property = "delivery.collectors.ncp-sens.enabled", value = "true")
public class SensCollectorRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SensCollectorRunner.class);

    private final KafkaStreams streams;
    private final TopicCatalogue topics;
    private final SerdeSettings serdes;
    private final RegistryProperties registry;
    private final SensCollectorProperties properties;

    public SensCollectorRunner(KafkaStreams streams, SensCollectorProperties properties, TopicCatalogue topics, SerdeSettings serdes,
                               RegistryProperties registry) {
        this.streams = streams;
        this.topics = topics;
        this.serdes = serdes;
        this.registry = registry;
        this.properties = properties;
    }

    @PostConstruct
    void start() {
        new RequiredSchemas()
                .reads(topics.sends().name(), SendEvent.getClassSchema())
                .writes(topics.reports().name(), ProviderReport.getClassSchema())
                .resolve(serdes.registry(), serdes.autoRegister(), registry.startupWait());
        streams.setUncaughtExceptionHandler(new StreamFailureHandler("SENS result collector"));
        streams.start();
        LOG.info("Collecting NCP SENS results from {}: application id {}, reading {}, writing {}", properties.baseUrl(),
                properties.applicationId(), topics.sends().name(), topics.reports().name());
    }

    @PreDestroy
    void stop() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
