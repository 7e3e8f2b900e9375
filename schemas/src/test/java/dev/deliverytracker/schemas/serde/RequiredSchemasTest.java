package dev.deliverytracker.schemas.serde;

import dev.deliverytracker.schemas.registry.CachingSchemaRegistryClient;
import dev.deliverytracker.schemas.registry.FakeSchemaRegistryServer;
import dev.deliverytracker.schemas.registry.HttpSchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.testing.Ping;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resolving a stream app's schemas before it starts, against the registry's REST API over HTTP. */
class RequiredSchemasTest {

    private static final Schema OTHER = SchemaBuilder.record("Pong").namespace("t").fields().requiredString("id").endRecord();

    private FakeSchemaRegistryServer server;
    private SchemaRegistryClient client;
    /** A clock the pauses move, so waiting takes no real time. */
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakeSchemaRegistryServer.plain();
        Map<String, Object> config = new HashMap<>(server.clientConfig());
        config.put(SchemaRegistryConfig.MAX_RETRIES, 0);
        client = new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(SchemaRegistryConfig.fromMap(config)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void waitsForARegistryThatStartsLateThenCachesWhatTheStreamNeeds() {
        server.backing().register("pings-value", Ping.getClassSchema());
        server.down(true);
        RequiredSchemas needs = new RequiredSchemas().reads("pings", Ping.getClassSchema()).writes("pongs", OTHER);

        needs.resolve(client, true, Duration.ofMinutes(2), d -> {
            pauses.add(d);
            nanos.addAndGet(d.toNanos());
            if (pauses.size() == 4) {
                server.down(false); // the registry is up after four pauses
            }
        }, nanos::get);

        assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(server.refused()).isEqualTo(4);
        assertThat(server.backing().subjects()).contains("pongs-value");
        // cached: both are answered while the registry is down again
        server.down(true);
        int pingId = server.backing().latest("pings-value").id();
        assertThat(client.schemaById(pingId)).isEqualTo(Ping.getClassSchema());
        assertThat(client.register("pongs-value", OTHER)).isEqualTo(server.backing().latest("pongs-value").id());
    }

    @Test
    void aRegistryThatNeverAnswersFailsTheStartNamingItAfterTheWait() {
        server.down(true);
        RequiredSchemas needs = new RequiredSchemas().writes("pongs", OTHER);
        assertThatThrownBy(() -> needs.resolve(client, true, Duration.ofSeconds(30), d -> nanos.addAndGet(d.toNanos()), nanos::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(server.url()).hasMessageContaining("did not answer within PT30S")
                .hasMessageContaining("schema.registry.startup-wait");
        assertThat(Duration.ofNanos(nanos.get())).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aMissingSchemaFailsAtOnceAndATopicNobodyWroteYetIsFine() {
        RequiredSchemas needs = new RequiredSchemas().reads("never-written", Ping.getClassSchema()).writes("pongs", OTHER);
        assertThatThrownBy(() -> needs.resolve(client, false, Duration.ofMinutes(2), d -> pauses.add(d), nanos::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'pongs'").hasMessageContaining("t.Pong");
        assertThat(pauses).as("no waiting for what waiting cannot fix").isEmpty();

        new RequiredSchemas().reads("never-written", Ping.getClassSchema()).resolve(client, false, Duration.ofMinutes(2), d -> pauses.add(d), nanos::get);
        assertThat(pauses).isEmpty();
    }
}
