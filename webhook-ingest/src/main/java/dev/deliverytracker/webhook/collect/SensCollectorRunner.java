package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.serde.RequiredSchemas;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.support.RegistryProperties;
import dev.deliverytracker.support.StreamFailureHandler;
import dev.deliverytracker.support.sens.SensSignature;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

/**
 * Runs the NCP SENS result collector ({@code delivery.collectors.ncp-sens.enabled=true}) as its own Kafka Streams
 * application, exactly-once, beside the webhook endpoints. A send event it cannot read is skipped here (status-stream
 * sends it to the dead-records topic with the reason).
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

    public SensCollectorRunner(SensCollectorProperties properties, KafkaClientProperties kafka, TopicCatalogue topics, SerdeSettings serdes,
                               RegistryProperties registry, MeterRegistry meters, Clock clock) {
        if (blank(properties.alimtalkServiceId())) {
            throw new IllegalStateException("The SENS result collector needs the AlimTalk service id: set NCP_SENS_ALIMTALK_SERVICE_ID "
                    + "(delivery.collectors.ncp-sens.alimtalk-service-id)");
        }
        SensResultsClient client = new SensResultsClient(properties.baseUrl(), properties.alimtalkServiceId().trim(),
                new SensSignature(properties.accessKey(), properties.secretKey()), properties.requestTimeout(), clock);
        SensResultCollector.SensCollectorConfig config = new SensResultCollector.SensCollectorConfig(properties.pollInterval(),
                properties.firstAsk(), properties.maxAskInterval(), properties.giveUpAfter(), properties.maxRequestsPerRound(),
                properties.maxBackoff());
        Properties props = new Properties();
        props.putAll(kafka.common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, blank(properties.stateDir())
                ? Path.of(System.getProperty("java.io.tmpdir"), "delivery-tracker", properties.applicationId()).toString() : properties.stateDir());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        this.streams = new KafkaStreams(SensCollectorTopology.build(topics, serdes, config, client, new MicrometerCollectorMetrics(meters)), props);
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

    /** The collector's Kafka Streams client (health, tests). */
    public KafkaStreams streams() {
        return streams;
    }

    @PreDestroy
    void stop() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
