package dev.deliverytracker.send.privacy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The keyed hash that stands beside a masked number in events: HMAC-SHA256 of the normalised number under a secret
 * key, so analytics can count per recipient without seeing numbers, and nobody without the key can test a guess.
 */
public final class RecipientHasher {

    private static final int MIN_KEY_BYTES = 16;

    private final SecretKeySpec key;

    public RecipientHasher(String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The recipient hash key (RECIPIENT_HASH_KEY) must be at least "
                    + MIN_KEY_BYTES + " bytes; generate one with `openssl rand -hex 32`");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String hash(PhoneNumber number) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(number.digits().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
