package dev.deliverytracker.schemas.registry;

import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach a Schema Registry. Read from the same config map Kafka hands to serdes, with the property names of
 * Confluent's serdes where they exist, so existing configuration carries over.
 *
 * @param urls           one or more base URLs, tried in order; a base URL may carry a path
 *                       ({@code http://apicurio:8080/apis/ccompat/v7}); {@code mock://scope} selects the in-process registry
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, if any
 * @param bearerToken    a bearer token, if any (basic auth wins when both are set)
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time allowed for one HTTP exchange
 * @param maxRetries     retries after a 5xx answer or a connection error (4xx answers are never retried)
 * @param retryBackoff   the first back-off; doubled each retry, with jitter
 */
public record SchemaRegistryConfig(List<String> urls,
                                   Optional<String> basicAuthUserInfo,
                                   Optional<String> bearerToken,
                                   Duration connectTimeout,
                                   Duration requestTimeout,
                                   int maxRetries,
                                   Duration retryBackoff) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";

    public SchemaRegistryConfig {
        if (urls.isEmpty()) {
            throw new ConfigException(URL + " is required, e.g. http://localhost:8081 or mock://local");
        }
        urls = List.copyOf(urls);
        for (String url : urls) {
            if (!url.startsWith(MockSchemaRegistry.URL_PREFIX)) {
                URI uri = URI.create(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new ConfigException(URL, url, "must be an http(s):// URL or mock://<scope>");
                }
            }
        }
        if (maxRetries < 0) {
            throw new ConfigException(MAX_RETRIES, maxRetries, "must be 0 or more");
        }
    }

    /** A config for one URL with default timeouts and retries. */
    public static SchemaRegistryConfig of(String url) {
        return fromMap(Map.of(URL, url));
    }

    public static SchemaRegistryConfig fromMap(Map<String, ?> configs) {
        Object url = configs.get(URL);
        List<String> urls = url == null ? List.of() : Arrays.stream(url.toString().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new SchemaRegistryConfig(
                urls,
                string(configs, BASIC_AUTH_USER_INFO),
                string(configs, BEARER_AUTH_TOKEN),
                Duration.ofMillis(number(configs, CONNECT_TIMEOUT_MS, 5_000)),
                Duration.ofMillis(number(configs, REQUEST_TIMEOUT_MS, 10_000)),
                (int) number(configs, MAX_RETRIES, 3),
                Duration.ofMillis(number(configs, RETRY_BACKOFF_MS, 100)));
    }

    /** True when the (first) URL selects the in-process registry. */
    public boolean isMock() {
        return urls.get(0).startsWith(MockSchemaRegistry.URL_PREFIX);
    }

    private static Optional<String> string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
    }

    private static long number(Map<String, ?> configs, String key, long defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number");
        }
    }
}
