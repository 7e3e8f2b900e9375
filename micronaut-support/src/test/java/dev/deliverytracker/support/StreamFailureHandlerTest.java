package dev.deliverytracker.support;

import dev.deliverytracker.schemas.registry.SchemaRegistryException;
import dev.deliverytracker.schemas.serde.RegistryUnavailableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A registry outage replaces the stream thread (its records are read again); anything else stops the client. */
class StreamFailureHandlerTest {

    private final StreamFailureHandler handler = new StreamFailureHandler("test-app");

    @Test
    void aRegistryOutageAnywhereInTheCausesIsRetriedByANewThread() {
        RegistryUnavailableException outage = new RegistryUnavailableException("registry down",
                new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE, 50003, "503"));
        assertThat(handler.handle(new StreamsException("processor failed", new StreamsException("sink failed", outage))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void anythingElseStopsTheClientRatherThanLoop() {
        assertThat(handler.handle(new StreamsException(new SerializationException("status schema not registered"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(handler.handle(new IllegalStateException("bug"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
