package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.support.sens.SensSignature;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;

/**
 * Wires the NCP SENS result collector from {@code delivery.collectors.ncp-sens.*} when it is enabled: its client, its
 * topology ({@link SensCollectorTopology#build}) and its Kafka Streams client, which {@code /health} then reports on.
 * A send event it cannot read is skipped (status-stream sends it to the dead-records topic with the reason).
 */
@Factory
@Requires(property = "delivery.collectors.ncp-sens.enabled", value = "true")
public class SensCollectorFactory {

    @Singleton
    SensResultsClient sensResultsClient(SensCollectorProperties properties, Clock clock) {
        if (blank(properties.alimtalkServiceId())) {
            throw new IllegalStateException("The SENS result collector needs the AlimTalk service id: set NCP_SENS_ALIMTALK_SERVICE_ID "
                    + "(delivery.collectors.ncp-sens.alimtalk-service-id)");
        }
        return new SensResultsClient(properties.baseUrl(), properties.alimtalkServiceId().trim(),
                new SensSignature(properties.accessKey(), properties.secretKey()), properties.requestTimeout(), clock);
    }

    @Singleton
    KafkaStreams sensCollectorStreams(SensCollectorProperties properties, SensResultsClient client, KafkaClientProperties kafka,
                                      TopicCatalogue topics, SerdeSettings serdes, MeterRegistry meters) {
        SensResultCollector.SensCollectorConfig config = new SensResultCollector.SensCollectorConfig(properties.pollInterval(),
                properties.firstAsk(), properties.maxAskInterval(), properties.giveUpAfter(), properties.maxRequestsPerRound(),
                properties.maxBackoff(), properties.roundBudget());
        Properties props = new Properties();
        props.putAll(kafka.common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, blank(properties.stateDir())
                ? Path.of(System.getProperty("java.io.tmpdir"), "delivery-tracker", properties.applicationId()).toString() : properties.stateDir());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return new KafkaStreams(SensCollectorTopology.build(topics, serdes, config, client, new MicrometerCollectorMetrics(meters)), props);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
