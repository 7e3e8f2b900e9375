package dev.deliverytracker.kafka.embedded;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Consumer;

/**
 * JUnit 5 extension that runs one {@link EmbeddedKafkaBroker} per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * }</pre>
 *
 * Register it on a {@code static} field: the broker starts before the first test of the class and stops after
 * the last, never per test method.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<EmbeddedKafkaBroker.Builder> customizer;
    private EmbeddedKafkaBroker broker;

    public EmbeddedKafkaExtension() {
        this(builder -> { });
    }

    public EmbeddedKafkaExtension(Consumer<EmbeddedKafkaBroker.Builder> customizer) {
        this.customizer = customizer;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
        customizer.accept(builder);
        broker = builder.build().start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only while the test class runs; register the extension on a static field");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }
}
