package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.support.RecipientHash;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Wires the result collectors (NCP SENS, Aligo: whichever is enabled) into one Kafka Streams application
 * ({@link CollectorTopology#build}), whose client {@code /health} then reports on. A send event it cannot read is
 * skipped (status-stream sends it to the dead-records topic with the reason). Bad configuration stops the start,
 * naming the variable.
 */
@Factory
@Requires(condition = AnyCollectorEnabled.class)
public class CollectorFactory {

    @Singleton
    List<CollectorTopology.Collected> collected(SensCollectorProperties sens, AligoCollectorProperties aligo, Clock clock) {
        List<CollectorTopology.Collected> collected = new ArrayList<>();
        if (sens.enabled()) {
            if (blank(sens.alimtalkServiceId())) {
                throw new IllegalStateException("The SENS result collector needs the AlimTalk service id: set NCP_SENS_ALIMTALK_SERVICE_ID "
                        + "(delivery.collectors.ncp-sens.alimtalk-service-id)");
            }
            RecipientHash hash = blank(sens.recipientHashKey()) ? null : new RecipientHash(sens.recipientHashKey());
            collected.add(new CollectorTopology.Collected(new SensResultsClient(sens.baseUrl(), sens.alimtalkServiceId().trim(), sens.smsServiceId(),
                    hash, new SensSignature(sens.accessKey(), sens.secretKey()), sens.requestTimeout(), clock),
                    new CollectorConfig(sens.pollInterval(), sens.firstAsk(), sens.maxAskInterval(), sens.giveUpAfter(), sens.maxRequestsPerRound(),
                            sens.maxBackoff(), sens.roundBudget())));
        }
        if (aligo.enabled()) {
            if (blank(aligo.apiKey()) || blank(aligo.userId())) {
                throw new IllegalStateException("The Aligo result collector needs ALIGO_API_KEY and ALIGO_USER_ID "
                        + "(delivery.collectors.aligo.api-key, user-id)");
            }
            collected.add(new CollectorTopology.Collected(new AligoResultsClient(aligo.baseUrl(), aligo.smsBaseUrl(), aligo.apiKey(), aligo.userId(),
                    new RecipientHash(aligo.recipientHashKey()), aligo.requestTimeout()),
                    new CollectorConfig(aligo.pollInterval(), aligo.firstAsk(), aligo.maxAskInterval(), aligo.giveUpAfter(),
                            aligo.maxRequestsPerRound(), aligo.maxBackoff(), aligo.roundBudget())));
        }
        return collected;
    }

    @Singleton
    KafkaStreams collectorStreams(CollectorProperties properties, List<CollectorTopology.Collected> collected, KafkaClientProperties kafka,
                                  TopicCatalogue topics, SerdeSettings serdes, MeterRegistry meters) {
        Properties props = new Properties();
        props.putAll(kafka.common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, blank(properties.stateDir())
                ? Path.of(System.getProperty("java.io.tmpdir"), "delivery-tracker", properties.applicationId()).toString() : properties.stateDir());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return new KafkaStreams(CollectorTopology.build(topics, serdes, collected, new MicrometerCollectorMetrics(meters)), props);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
