package dev.deliverytracker.schemas.registry;

import dev.deliverytracker.retry.Backoff;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A client of the Confluent Schema Registry REST API over HTTP, with no Confluent code: it works with Confluent
 * Schema Registry and the servers that speak its API (Apicurio under {@code /apis/ccompat/v7}, Karapace, Redpanda).
 *
 * <p>Requests and answers use {@code application/vnd.schemaregistry.v1+json}. A 5xx answer or a connection error
 * is retried with exponential back-off and jitter, moving to the next configured URL; 4xx answers are not retried
 * and become a {@link SchemaRegistryException} naming the registry's error code and what to do. No caching here:
 * wrap it in a {@link CachingSchemaRegistryClient} (as {@link SchemaRegistryClients} does).
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private final SchemaRegistryConfig config;
    private final Backoff backoff;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Optional<String> authorization;

    public HttpSchemaRegistryClient(SchemaRegistryConfig config) {
        if (config.isMock()) {
            throw new IllegalArgumentException("mock:// URLs are served by MockSchemaRegistry, not over HTTP");
        }
        this.config = config;
        // doubled each retry, as many times as there are retries: the last pause is retry-backoff × 2^(retries-1)
        this.backoff = Backoff.of(config.maxRetries(), config.retryBackoff(),
                config.retryBackoff().multipliedBy(1L << Math.max(0, Math.min(config.maxRetries() - 1, 10))));
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
        this.authorization = config.basicAuthUserInfo()
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)))
                .or(() -> config.bearerToken().map(token -> "Bearer " + token));
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                "register a schema under subject '" + subject + "'");
        return answer.path("id").asInt();
    }

    @Override
    public int idOf(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema),
                "look up a schema under subject '" + subject + "'");
        return answer.path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
        return parse(answer.path("schema").asText(), "schema id " + id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
                "fetch the latest version of subject '" + subject + "'");
        return new RegisteredSchema(subject, answer.path("id").asInt(), answer.path("version").asInt(),
                parse(answer.path("schema").asText(), "subject '" + subject + "'"));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema), "check compatibility for subject '" + subject + "'");
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.reason() == SchemaRegistryException.Reason.SUBJECT_NOT_FOUND
                    || e.reason() == SchemaRegistryException.Reason.VERSION_NOT_FOUND) {
                return true; // nothing registered yet: anything is compatible
            }
            throw e;
        }
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        try {
            JsonNode answer = call("GET", "/config/" + encode(subject), null,
                    "read the compatibility of subject '" + subject + "'");
            return level(answer);
        } catch (SchemaRegistryException e) {
            // 40401/40408: no subject-level setting, the global default applies
            if (e.reason() == SchemaRegistryException.Reason.SUBJECT_NOT_FOUND || e.errorCode() == 40408) {
                return level(call("GET", "/config", null, "read the global compatibility"));
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = json.createObjectNode().put("compatibility", level.name());
        call("PUT", "/config/" + encode(subject), body.toString(), "set the compatibility of subject '" + subject + "'");
    }

    @Override
    public String location() {
        return String.join(",", config.urls());
    }

    private static CompatibilityLevel level(JsonNode answer) {
        JsonNode value = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.path("compatibility");
        return CompatibilityLevel.parse(value.asText("BACKWARD"));
    }

    private String schemaBody(Schema schema) {
        return json.createObjectNode().put("schema", schema.toString()).toString();
    }

    private Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(SchemaRegistryException.Reason.INVALID_SCHEMA, 42201,
                    "Schema Registry at " + location() + " returned a schema for " + what + " that is not valid Avro: "
                            + e.getMessage(), e);
        }
    }

    /** One REST call with retries over the configured URLs; returns the parsed JSON answer of a 2xx response. */
    private JsonNode call(String method, String path, String body, String what) {
        int attempts = config.maxRetries() + 1;
        RuntimeException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            String base = config.urls().get(attempt % config.urls().size());
            if (attempt > 0) {
                backOff(attempt);
            }
            try {
                HttpResponse<String> response = http.send(request(base, method, path, body),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
                }
                SchemaRegistryException error = errorOf(base, status, response.body(), what);
                if (status < 500) {
                    throw error;
                }
                last = error;
                LOG.warn("Schema Registry {} answered {} to {} {} (attempt {}/{})", base, status, method, path, attempt + 1, attempts);
            } catch (IOException e) {
                last = new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE, 0,
                        "Schema Registry at " + base + " could not " + what + ": " + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : " " + e.getMessage()) + ". "
                                + SchemaRegistryException.advice(SchemaRegistryException.Reason.UNAVAILABLE), e);
                LOG.warn("Schema Registry {} unreachable for {} {} (attempt {}/{}): {}", base, method, path, attempt + 1, attempts, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(SchemaRegistryException.Reason.UNAVAILABLE, 0,
                        "interrupted while asking Schema Registry at " + base + " to " + what, e);
            }
        }
        throw last;
    }

    private HttpRequest request(String base, String method, String path, String body) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(trimmed + path))
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder.build();
    }

    private SchemaRegistryException errorOf(String base, int status, String body, String what) {
        int errorCode = status;
        String message = body;
        try {
            JsonNode error = json.readTree(body);
            errorCode = error.path("error_code").asInt(status);
            message = error.path("message").asText(body);
        } catch (IOException | RuntimeException notJson) {
            // keep the raw body (trimmed below)
        }
        if (message != null && message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return SchemaRegistryException.of(SchemaRegistryException.Reason.of(status, errorCode), errorCode, base, what,
                "HTTP " + status + " " + message);
    }

    /** The pause before retry {@code attempt} (1-based): the configured back-off, doubled each retry, with jitter. */
    private void backOff(int attempt) {
        try {
            Thread.sleep(backoff.pause(attempt - 1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
