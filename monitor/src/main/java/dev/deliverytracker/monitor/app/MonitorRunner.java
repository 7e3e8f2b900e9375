package dev.deliverytracker.monitor.app;

import dev.deliverytracker.monitor.notify.ChannelProperties;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Starts the rule evaluation with the service and closes it cleanly on shutdown. */
@Context
public class MonitorRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorRunner.class);

    private final KafkaStreams streams;
    private final TopicCatalogue topics;
    private final MonitorProperties properties;
    private final MeterRegistry meters;
    private KafkaStreamsMetrics streamsMetrics;

    public MonitorRunner(List<ChannelProperties> channels, BeanProvider<KafkaStreams> streams, TopicCatalogue topics,
                         MonitorProperties properties, MeterRegistry meters) {
        // every channel's settings are checked before Kafka Streams is even created (it takes the state directory's
        // lock), so a bad URL or secret fails the start-up cleanly, naming the key
        channels.forEach(ChannelProperties::validate);
        this.streams = streams.get();
        this.topics = topics;
        this.properties = properties;
        this.meters = meters;
    }

    @PostConstruct
    void start() {
        // unreadable statuses go to dead records; what reaches here is infrastructure failing for good: stop, turn
        // /health DOWN, and let the platform restart the service rather than loop on the same records
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("monitor rule evaluation stopped by an unrecoverable error; /health is DOWN", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        streams.start();
        LOG.info("monitor started: application id {}, reading {}, writing {}", properties.applicationId(), topics.status().name(),
                topics.alerts().name());
    }

    @PreDestroy
    void stop() {
        streams.close(properties.closeTimeout());
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }
}
