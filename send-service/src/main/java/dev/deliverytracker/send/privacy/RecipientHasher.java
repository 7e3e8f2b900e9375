package dev.deliverytracker.send.privacy;

import dev.deliverytracker.support.RecipientHash;

/**
 * The keyed hash that stands beside a masked number in events ({@link RecipientHash}, shared with webhook-ingest): so
 * analytics can count per recipient without seeing numbers, and nobody without the key can test a guess.
 */
public final class RecipientHasher {

    private final RecipientHash hash;

    public RecipientHasher(String secret) {
        this.hash = new RecipientHash(secret);
    }

    public String hash(PhoneNumber number) {
        return hash.of(number.digits());
    }
}
