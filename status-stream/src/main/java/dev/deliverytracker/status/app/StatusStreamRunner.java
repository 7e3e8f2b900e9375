package dev.deliverytracker.status.app;

import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.KafkaClientProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Starts the Kafka Streams app with the service and closes it cleanly on shutdown. Before starting it checks that
 * the input topics are co-partitioned, and refuses to start (failing the service) when they are not.
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
    private KafkaStreamsMetrics streamsMetrics;

    public StatusStreamRunner(KafkaStreams streams, TopicCatalogue topics, KafkaClientProperties kafka,
                              StatusStreamProperties properties, MeterRegistry meterRegistry) {
        this.streams = streams;
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
        // Processing errors never reach here (the processor sends bad records to dead records). What does is
        // infrastructure failing for good (e.g. the status schema not registered): replacing the thread would
        // retry the same records in a loop, so stop the client, turn /health DOWN and let the platform restart us.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("status-stream stopped by an unrecoverable error; /health is DOWN", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
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
