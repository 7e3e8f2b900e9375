package dev.deliverytracker.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only HTTP server that speaks the documented Confluent Schema Registry REST API (the endpoints our client
 * uses), backed by a {@link MockSchemaRegistry}. No real registry can run on these machines (no Docker, no
 * Confluent jars); this is the stand-in for it, kept in test code. It serves under a base path (like Apicurio's
 * {@code /apis/ccompat/v7}), can demand basic auth, can add an offset to ids (to exercise 4-byte ids), can fail
 * the next N requests with 503 or all of them while down, and records every request.
 */
public final class FakeSchemaRegistryServer implements AutoCloseable {

    public record Request(String method, String path, String contentType, String authorization) {
    }

    private static final Pattern SUBJECT_VERSIONS = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern SUBJECT = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
    private static final Pattern SCHEMA_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final Pattern COMPAT = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");
    private static final Pattern CONFIG_SUBJECT = Pattern.compile("/config/([^/]+)");

    private final ObjectMapper json = new ObjectMapper();
    private final MockSchemaRegistry registry = new MockSchemaRegistry("fake-http");
    private final String basePath;
    private final String requiredAuthorization;
    private final int idOffset;
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger refused = new AtomicInteger();

    public FakeSchemaRegistryServer(String basePath, String requiredAuthorization, int idOffset) {
        this.basePath = basePath;
        this.requiredAuthorization = requiredAuthorization;
        this.idOffset = idOffset;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeSchemaRegistryServer plain() {
        return new FakeSchemaRegistryServer("", null, 0);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void failNext(int count) {
        failNext.set(count);
    }

    /**
     * Down: every request is answered 503 (error 50003, as a registry whose leader or backing store is not ready
     * answers) and counted in {@link #refused()}, until it is up again; what it holds is kept.
     */
    public void down(boolean isDown) {
        down.set(isDown);
    }

    /** Requests answered 503 while down. */
    public int refused() {
        return refused.get();
    }

    public MockSchemaRegistry backing() {
        return registry;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        requests.add(new Request(method, rawPath, exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization")));
        try (exchange) {
            respond(exchange, method, rawPath);
        }
    }

    private void respond(HttpExchange exchange, String method, String rawPath) throws IOException {
        try {
            if (down.get()) {
                refused.incrementAndGet();
                send(exchange, 503, error(50003, "Error while forwarding the request to the leader"));
                return;
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 503, error(50003, "Error while forwarding the request to the leader"));
                return;
            }
            if (requiredAuthorization != null && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            if (!rawPath.startsWith(basePath)) {
                send(exchange, 404, error(404, "HTTP 404 Not Found"));
                return;
            }
            String path = rawPath.substring(basePath.length());
            JsonNode body = "GET".equals(method) ? null : json.readTree(exchange.getRequestBody());
            route(exchange, method, path, body);
        } catch (SchemaRegistryException e) {
            int status = e.errorCode() == 409 ? 409 : e.errorCode() / 100;
            send(exchange, status, error(e.errorCode(), e.getMessage()));
        }
    }

    private void route(HttpExchange exchange, String method, String path, JsonNode body) throws IOException {
        Matcher m;
        if ("POST".equals(method) && (m = SUBJECT_VERSIONS.matcher(path)).matches()) {
            int id = registry.register(decode(m.group(1)), parse(body));
            send(exchange, 200, json.createObjectNode().put("id", id + idOffset));
        } else if ("POST".equals(method) && (m = SUBJECT.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            Schema schema = parse(body);
            int id = registry.idOf(subject, schema);
            int version = registry.versions(subject).stream().filter(v -> v.id() == id).findFirst().orElseThrow().version();
            send(exchange, 200, json.createObjectNode().put("subject", subject).put("id", id + idOffset)
                    .put("version", version).put("schema", schema.toString()));
        } else if ("GET".equals(method) && (m = SCHEMA_ID.matcher(path)).matches()) {
            Schema schema = registry.schemaById(Integer.parseInt(m.group(1)) - idOffset);
            send(exchange, 200, json.createObjectNode().put("schema", schema.toString()));
        } else if ("GET".equals(method) && (m = LATEST.matcher(path)).matches()) {
            RegisteredSchema latest = registry.latest(decode(m.group(1)));
            send(exchange, 200, json.createObjectNode().put("subject", latest.subject()).put("id", latest.id() + idOffset)
                    .put("version", latest.version()).put("schema", latest.schema().toString()));
        } else if ("POST".equals(method) && (m = COMPAT.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            registry.latest(subject); // 40401 for an unknown subject, as the real registry does
            send(exchange, 200, json.createObjectNode().put("is_compatible", registry.isCompatible(subject, parse(body))));
        } else if ("GET".equals(method) && "/config".equals(path)) {
            send(exchange, 200, json.createObjectNode().put("compatibilityLevel", "BACKWARD"));
        } else if ("GET".equals(method) && (m = CONFIG_SUBJECT.matcher(path)).matches()) {
            send(exchange, 200, json.createObjectNode().put("compatibilityLevel", registry.compatibility(decode(m.group(1))).name()));
        } else if ("PUT".equals(method) && (m = CONFIG_SUBJECT.matcher(path)).matches()) {
            CompatibilityLevel level = CompatibilityLevel.parse(body.path("compatibility").asText());
            registry.setCompatibility(decode(m.group(1)), level);
            send(exchange, 200, json.createObjectNode().put("compatibility", level.name()));
        } else {
            send(exchange, 404, error(404, "HTTP 404 Not Found"));
        }
    }

    private Schema parse(JsonNode body) {
        try {
            return new Schema.Parser().parse(body.path("schema").asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(SchemaRegistryException.Reason.INVALID_SCHEMA, 42201, "Invalid schema " + e.getMessage());
        }
    }

    private ObjectNode error(int code, String message) {
        return json.createObjectNode().put("error_code", code).put("message", message);
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    /** For tests that need a config map pointing here. */
    public Map<String, Object> clientConfig() {
        return Map.of(SchemaRegistryConfig.URL, url(), SchemaRegistryConfig.RETRY_BACKOFF_MS, 1);
    }
}
