package dev.deliverytracker.support.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs outbound webhooks the Standard Webhooks way (standardwebhooks.com): headers {@code webhook-id},
 * {@code webhook-timestamp} (seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>}.
 * A secret written {@code whsec_<base64>} is the base64-decoded key, as the spec's libraries read it; any other
 * string is used as UTF-8 bytes. At least 16 bytes.
 */
public final class StandardWebhookSigner {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private final byte[] key;

    public StandardWebhookSigner(String secret) {
        this.key = keyOf(secret);
        if (key.length < 16) {
            throw new IllegalArgumentException("a webhook signing secret needs at least 16 bytes (was " + key.length + ")");
        }
    }

    public static byte[] keyOf(String secret) {
        if (secret == null) {
            return new byte[0];
        }
        return secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6)) : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The three headers for one attempt: a re-send keeps the id and gets a new timestamp. */
    public Map<String, String> headers(String id, long epochSeconds, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, id);
        headers.put(TIMESTAMP, Long.toString(epochSeconds));
        headers.put(SIGNATURE, "v1," + sign(key, id, epochSeconds, body));
        return headers;
    }

    /** base64 HMAC-SHA256 over {@code id.timestamp.body}. */
    public static String sign(byte[] key, String id, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
