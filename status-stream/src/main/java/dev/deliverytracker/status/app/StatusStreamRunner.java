package dev.deliverytracker.status.app;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.serde.RequiredSchemas;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.support.RegistryProperties;
import dev.deliverytracker.support.StreamFailureHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Starts the Kafka Streams app with the service and closes it cleanly on shutdown. Before starting it checks that
 * the input topics are co-partitioned, and refuses to start (failing the service) when they are not, and resolves
 * the schemas it reads and writes, waiting for a registry that is not up yet (docs/architecture.md, D14).
 */
@Context
public class StatusStreamRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StatusStreamRunner.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final TopicCatalogue topics;
    private final KafkaClientProperties kafka;
    private final StatusStreamProperties properties;
    private final MeterRegistry meterRegistry;
    private final SerdeSettings serdes;
    private final RegistryProperties registry;
    private KafkaStreamsMetrics streamsMetrics;

    public StatusStreamRunner(KafkaStreams streams, TopicCatalogue topics, KafkaClientProperties kafka,
                              StatusStreamProperties properties, MeterRegistry meterRegistry, SerdeSettings serdes,
                              RegistryProperties registry) {
        this.streams = streams;
        this.serdes = serdes;
        this.registry = registry;
        this.topics = topics;
        this.kafka = kafka;
        this.properties = properties;
        this.meterRegistry = meterRegistry;
    }

    @PostConstruct
    void start() {
        try (Admin admin = Admin.create(kafka.common())) {
            CoPartitioning.check(admin, topics, ADMIN_TIMEOUT);
        }
        new RequiredSchemas()
                .reads(topics.sends().name(), SendEvent.getClassSchema())
                .reads(topics.reports().name(), ProviderReport.getClassSchema())
                .writes(topics.status().name(), DeliveryStatus.getClassSchema())
                .resolve(serdes.registry(), serdes.autoRegister(), registry.startupWait());
        streams.setUncaughtExceptionHandler(new StreamFailureHandler("status-stream"));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meterRegistry);
        streams.start();
        LOG.info("status-stream started: application id {}, reading {} and {}, writing {}", properties.applicationId(),
                topics.sends().name(), topics.reports().name(), topics.status().name());
    }

    @PreDestroy
    void stop() {
        LOG.info("status-stream stopping");
        streams.close(properties.closeTimeout());
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }
}
