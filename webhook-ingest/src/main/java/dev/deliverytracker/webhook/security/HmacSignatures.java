package dev.deliverytracker.webhook.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** HMAC-SHA256 signatures checked against one or more secrets (two during a rotation), in constant time. */
public final class HmacSignatures {

    private static final String ALGORITHM = "HmacSHA256";

    private HmacSignatures() {
    }

    public static byte[] hmac(byte[] secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * True when {@code presented} (hex in any case, or standard/URL-safe base64) is the HMAC of {@code message}
     * under any of {@code secrets}. Every secret is tried, so timing does not tell which one matched.
     */
    public static boolean matchesAny(List<byte[]> secrets, byte[] message, String presented) {
        byte[] signature = decode(presented);
        if (signature == null) {
            return false;
        }
        boolean match = false;
        for (byte[] secret : secrets) {
            match |= MessageDigest.isEqual(hmac(secret, message), signature);
        }
        return match;
    }

    /** Decodes a 32-byte signature from hex or base64; null if it is neither. */
    static byte[] decode(String presented) {
        if (presented == null) {
            return null;
        }
        String value = presented.trim();
        if (value.length() == 64 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(value.toLowerCase(java.util.Locale.ROOT));
        }
        try {
            byte[] decoded = value.contains("-") || value.contains("_")
                    ? Base64.getUrlDecoder().decode(value) : Base64.getDecoder().decode(value);
            return decoded.length == 32 ? decoded : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
