package dev.deliverytracker.webhook.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses untrusted webhook bodies: strict UTF-8, bounded nesting, number and string sizes, no duplicate keys, no
 * trailing content. Errors say where the body broke, never what it said (bodies carry phone numbers).
 */
public final class BoundedJson {

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32).maxNumberLength(64).maxStringLength(16 * 1024).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private BoundedJson() {
    }

    /** The body as a JSON tree, or a MALFORMED rejection. */
    public static JsonNode parse(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            JsonNode root = JSON.readTree(text);
            if (root == null || root.isMissingNode()) {
                throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body is empty");
            }
            return root;
        } catch (CharacterCodingException e) {
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body is not valid UTF-8");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException | RuntimeException e) {
            if (e instanceof WebhookRejection rejection) {
                throw rejection;
            }
            throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "body is not valid JSON");
        }
    }

    /** A text field: strings as they are, integers as their digits, absent or null as null; anything else is MALFORMED. */
    /**
     * An optional descriptive field read loosely: a string as it is, a number or boolean as its text, an object or
     * array as its JSON; only a missing or null field is null. A report is not lost over the type of a remark.
     */
    public static String looseText(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    public static String text(JsonNode node, String name) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        throw new WebhookRejection(WebhookRejection.Reason.MALFORMED, "field '" + name + "' must be a string, not " + node.getNodeType());
    }
}
