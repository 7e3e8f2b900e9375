package dev.deliverytracker.webhook.provider.standard;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;

/**
 * Where a generic sender keeps the report's fields in its JSON, as JSON Pointers
 * ({@code delivery.webhooks.providers.<name>.mapping.msg-key=/data/msgKey}):
 * <ul>
 *   <li>{@code msg-key} (required): the provider's message id, the join key;</li>
 *   <li>{@code code}: the sender's result code;</li>
 *   <li>{@code delivered}: a boolean; when mapped, {@code true} writes the code {@code DELIVERED} (classified as
 *       delivered for every provider, see status-stream's {@code classification/common.tsv}), {@code false} writes the
 *       mapped code or {@code FAILED};</li>
 *   <li>{@code text}, {@code channel}: optional.</li>
 * </ul>
 * At least one of {@code code} and {@code delivered} is required.
 */
public record FieldMapping(JsonPointer msgKey, Optional<JsonPointer> code, Optional<JsonPointer> delivered,
                           Optional<JsonPointer> text, Optional<JsonPointer> channel) {

    public static FieldMapping of(String provider, Map<String, String> config) {
        String prefix = "delivery.webhooks.providers." + provider + ".mapping.";
        JsonPointer msgKey = pointer(prefix, config, "msg-key")
                .orElseThrow(() -> new IllegalArgumentException(prefix + "msg-key is required (a JSON Pointer such as /data/msgKey)"));
        Optional<JsonPointer> code = pointer(prefix, config, "code");
        Optional<JsonPointer> delivered = pointer(prefix, config, "delivered");
        if (code.isEmpty() && delivered.isEmpty()) {
            throw new IllegalArgumentException(prefix + "code or " + prefix + "delivered is required");
        }
        return new FieldMapping(msgKey, code, delivered, pointer(prefix, config, "text"), pointer(prefix, config, "channel"));
    }

    static JsonNode at(JsonNode root, Optional<JsonPointer> pointer) {
        return pointer.map(root::at).orElse(null);
    }

    private static Optional<JsonPointer> pointer(String prefix, Map<String, String> config, String key) {
        String value = config.get(key);
        if (value == null) {
            value = config.get(key.replace("-", ""));
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonPointer.compile(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + key + "=" + value + " is not a JSON Pointer (e.g. /data/msgKey)", e);
        }
    }
}
