package dev.deliverytracker.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The same end-to-end scenarios against real containers: Apache Kafka ({@code apache/kafka}) and Confluent's own
 * Schema Registry ({@code confluentinc/cp-schema-registry}), so our registry client and wire format are proven
 * against Confluent's server. Where no Docker engine runs (these build machines), JUnit reports the class as skipped
 * with the reason; {@link LocalPipelineEndToEndTest} covers the same scenarios with the embedded broker.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainersEndToEndTest extends EndToEndScenarios {

    private Network network;
    private KafkaContainer kafka;
    private GenericContainer<?> registry;
    private LocalPipeline pipeline;

    @BeforeAll
    void start(@TempDir Path data) throws IOException {
        network = Network.newNetwork();
        kafka = new KafkaContainer("apache/kafka:4.1.0").withNetwork(network).withNetworkAliases("kafka")
                .withListener("kafka:19092");
        kafka.start();
        registry = new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
                .withNetwork(network)
                .withExposedPorts(8081)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
        registry.start();
        pipeline = LocalPipeline.start(testOptions(data), new LocalPipeline.ExternalInfrastructure(kafka.getBootstrapServers(),
                "http://" + registry.getHost() + ":" + registry.getMappedPort(8081)));
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (registry != null) {
            registry.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Override
    protected LocalPipeline pipeline() {
        return pipeline;
    }
}
