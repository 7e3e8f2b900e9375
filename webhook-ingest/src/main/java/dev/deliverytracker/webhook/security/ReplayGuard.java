package dev.deliverytracker.webhook.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which body each signed value (for Bizgo: the timestamp, the only thing it signs) came with, for as long
 * as that signature is accepted. The same signature with the same body is a provider's retry and passes; the same
 * signature with another body is someone re-using a captured signature for a forged report, and is refused. Bounded:
 * past {@code maxEntries} the oldest are forgotten first (which only shortens the protection under a flood).
 */
public final class ReplayGuard {

    private record Seen(byte[] bodyHash, long expiresAt) {
    }

    private final long remember;
    private final int maxEntries;
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    /** @param remember how long a signature stays valid: twice the timestamp tolerance (it may be early or late) */
    public ReplayGuard(Duration remember, int maxEntries) {
        this.remember = remember.toMillis();
        this.maxEntries = maxEntries;
    }

    /** True if {@code signed} was not seen within its validity with another body; remembers it with this body. */
    public synchronized boolean firstBodyFor(String signed, byte[] body, Instant now) {
        long at = now.toEpochMilli();
        for (Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Seen> oldest = it.next();
            if (oldest.getValue().expiresAt() > at && seen.size() < maxEntries) {
                break; // insertion order is time order: the rest are younger
            }
            it.remove();
        }
        byte[] hash = sha256(body);
        Seen previous = seen.get(signed);
        if (previous != null) {
            return Arrays.equals(previous.bodyHash(), hash);
        }
        seen.put(signed, new Seen(hash, at + remember));
        return true;
    }

    public synchronized int size() {
        return seen.size();
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
