package dev.deliverytracker.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The keyed hash that stands beside a masked number in send events ({@code recipientHash}): HMAC-SHA256 of the
 * number's digits under {@code RECIPIENT_HASH_KEY}, hex. send-service writes it; webhook-ingest's Aligo collector
 * uses it to match the numbers in Aligo's history to messages without keeping any number. Nobody without the key can
 * test a guess.
 */
public final class RecipientHash {

    private static final int MIN_KEY_BYTES = 16;

    private final SecretKeySpec key;

    public RecipientHash(String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The recipient hash key (RECIPIENT_HASH_KEY) must be at least "
                    + MIN_KEY_BYTES + " bytes; generate one with `openssl rand -hex 32`");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The hash of a number's digits, as send-service normalises them (domestic {@code 010...}, or {@code 82...}). */
    public String of(String digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(digits.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
