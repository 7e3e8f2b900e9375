package dev.deliverytracker.support.sens;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;

/**
 * NCP's API gateway signature (Naver Cloud Platform API guide, "API 호출 방법" / signature v2), used by SENS:
 * {@code x-ncp-apigw-signature-v2 = Base64(HmacSHA256(secretKey, "{METHOD} {path?query}\n{timestamp}\n{accessKey}"))},
 * with {@code x-ncp-apigw-timestamp} (epoch milliseconds, the same value that was signed; the gateway refuses one more
 * than 5 minutes off) and {@code x-ncp-iam-access-key}. The exact path and query sent must be the ones signed. Shared
 * by send-service (sending) and webhook-ingest (collecting results); the secret key is never logged.
 */
public final class SensSignature {

    public static final String TIMESTAMP = "x-ncp-apigw-timestamp";
    public static final String ACCESS_KEY = "x-ncp-iam-access-key";
    public static final String SIGNATURE = "x-ncp-apigw-signature-v2";

    private final String accessKey;
    private final byte[] secretKey;

    public SensSignature(String accessKey, String secretKey) {
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("NCP SENS needs an access key and a secret key (NCP_ACCESS_KEY, NCP_SECRET_KEY)");
        }
        this.accessKey = accessKey.trim();
        this.secretKey = secretKey.trim().getBytes(StandardCharsets.UTF_8);
    }

    /** The three headers of a request: {@code method} upper case, {@code pathAndQuery} exactly as sent. */
    public Map<String, String> headers(String method, String pathAndQuery, long epochMillis) {
        String timestamp = Long.toString(epochMillis);
        return Map.of(TIMESTAMP, timestamp, ACCESS_KEY, accessKey, SIGNATURE, sign(method, pathAndQuery, timestamp));
    }

    String sign(String method, String pathAndQuery, String timestamp) {
        String message = method + " " + pathAndQuery + "\n" + timestamp + "\n" + accessKey;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
