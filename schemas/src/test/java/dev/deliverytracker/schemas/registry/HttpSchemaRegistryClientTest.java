package dev.deliverytracker.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP client against a server speaking the registry's REST API, under a base path and with basic auth. */
class HttpSchemaRegistryClientTest {

    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("svc:s3cret".getBytes(StandardCharsets.UTF_8));
    private static final Schema V1 = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("id").endRecord();
    private static final Schema V2_WITH_DEFAULT = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("id").name("note").type().stringType().stringDefault("").endRecord();
    private static final Schema V2_BREAKING = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("id").requiredLong("count").endRecord();

    private FakeSchemaRegistryServer server;
    private HttpSchemaRegistryClient client;

    @BeforeEach
    void start() {
        server = new FakeSchemaRegistryServer("/apis/ccompat/v7", AUTH, 0);
        client = new HttpSchemaRegistryClient(config(server.url(), Map.of(SchemaRegistryConfig.BASIC_AUTH_USER_INFO, "svc:s3cret")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersLooksUpAndFetchesUnderABasePathWithTheRegistryContentType() {
        int id = client.register("orders-value", V1);
        assertThat(client.register("orders-value", V1)).isEqualTo(id);
        assertThat(client.idOf("orders-value", V1)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(V1);
        RegisteredSchema latest = client.latest("orders-value");
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.schema()).isEqualTo(V1);

        assertThat(server.requests()).allSatisfy(r -> {
            assertThat(r.path()).startsWith("/apis/ccompat/v7/");
            assertThat(r.authorization()).isEqualTo(AUTH);
            if (!"GET".equals(r.method())) {
                assertThat(r.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
            }
        });
    }

    @Test
    void compatibilityIsTestedAndConfigured() {
        client.register("orders-value", V1);
        assertThat(client.compatibility("orders-value")).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.isCompatible("orders-value", V2_WITH_DEFAULT)).isTrue();
        assertThat(client.isCompatible("orders-value", V2_BREAKING)).isFalse();
        assertThat(client.isCompatible("unknown-value", V2_BREAKING)).isTrue();

        client.setCompatibility("orders-value", CompatibilityLevel.NONE);
        assertThat(client.compatibility("orders-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.isCompatible("orders-value", V2_BREAKING)).isTrue();
    }

    @Test
    void registryErrorsBecomeExceptionsThatSayWhatToDo() {
        assertThatThrownBy(() -> client.latest("missing-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.SUBJECT_NOT_FOUND);
                    assertThat(e.errorCode()).isEqualTo(40401);
                })
                .hasMessageContaining(server.url()).hasMessageContaining("missing-value").hasMessageContaining("register the schema");

        assertThatThrownBy(() -> client.schemaById(999))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403))
                .hasMessageContaining("999").hasMessageContaining("schema.registry.url");

        client.register("orders-value", V1);
        assertThatThrownBy(() -> client.idOf("orders-value", V2_WITH_DEFAULT))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.SCHEMA_NOT_FOUND));

        assertThatThrownBy(() -> client.register("orders-value", V2_BREAKING))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409))
                .hasMessageContaining("give every new field a default");
    }

    @Test
    void wrongCredentialsAreNamed() {
        HttpSchemaRegistryClient wrong = new HttpSchemaRegistryClient(config(server.url(), Map.of(SchemaRegistryConfig.BEARER_AUTH_TOKEN, "nope")));
        assertThatThrownBy(() -> wrong.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.UNAUTHORIZED))
                .hasMessageContaining("bearer.auth.token");
        assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer nope");
    }

    @Test
    void serverErrorsAreRetriedButClientErrorsAreNot() {
        server.failNext(2);
        assertThat(client.register("orders-value", V1)).isPositive();
        assertThat(server.requests()).hasSize(3);

        server.failNext(10);
        assertThatThrownBy(() -> client.register("orders-value", V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.UNAVAILABLE));
        assertThat(server.requests()).hasSize(3 + 4); // 1 try + 3 retries
        server.failNext(0);

        int before = server.requests().size();
        assertThatThrownBy(() -> client.latest("missing-value")).isInstanceOf(SchemaRegistryException.class);
        assertThat(server.requests()).hasSize(before + 1);
    }

    @Test
    void anUnreachableRegistryIsNamedInTheError() {
        String url = server.url();
        server.close();
        HttpSchemaRegistryClient down = new HttpSchemaRegistryClient(config(url, Map.of(SchemaRegistryConfig.MAX_RETRIES, 1)));
        assertThatThrownBy(() -> down.register("orders-value", V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.UNAVAILABLE))
                .hasMessageContaining(url).hasMessageContaining("orders-value");
    }

    @Test
    void aMissingUrlIsAConfigError() {
        assertThatThrownBy(() -> SchemaRegistryConfig.fromMap(Map.of()))
                .hasMessageContaining("schema.registry.url is required");
        assertThatThrownBy(() -> SchemaRegistryConfig.of("ftp://x"))
                .hasMessageContaining("http(s)://");
    }

    private static SchemaRegistryConfig config(String url, Map<String, Object> extra) {
        Map<String, Object> map = new HashMap<>(extra);
        map.put(SchemaRegistryConfig.URL, url);
        map.put(SchemaRegistryConfig.RETRY_BACKOFF_MS, 1);
        return SchemaRegistryConfig.fromMap(map);
    }
}
