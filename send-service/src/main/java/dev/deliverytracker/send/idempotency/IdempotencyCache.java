package dev.deliverytracker.send.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Answers remembered by {@code (origin, Idempotency-Key)} for a TTL, in this instance's memory. The first request
 * with a key owns it; a concurrent or later one with the same key and the same body gets the first answer (waiting
 * for it if needed), with a different body a conflict. Answers the caller should retry (5xx) are forgotten, so a
 * retry is sent again; Bizgo's own idempotency key then keeps it from being sent twice.
 *
 * @param <A> the remembered answer
 */
public final class IdempotencyCache<A> {

    /** The outcome of claiming a key. */
    public sealed interface Claim<A> {
        /** The key is new: do the work, then {@link IdempotencyCache#complete} or {@link IdempotencyCache#forget}. */
        record Owner<A>(String key) implements Claim<A> {
        }

        /** Seen before with the same body: this future holds (or will hold) the first answer. */
        record Replay<A>(CompletableFuture<A> answer) implements Claim<A> {
        }

        /** Seen before with another body. */
        record Conflict<A>() implements Claim<A> {
        }
    }

    private record Slot<A>(String fingerprint, CompletableFuture<A> answer, Instant expires) {
    }

    private final Map<String, Slot<A>> slots = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;

    public IdempotencyCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public Claim<A> claim(String origin, String key, String fingerprint) {
        String id = origin + '\u0000' + key;
        Instant now = clock.instant();
        if (slots.size() >= maxEntries) {
            evictExpired(now);
        }
        Slot<A> fresh = new Slot<>(fingerprint, new CompletableFuture<>(), now.plus(ttl));
        Slot<A> existing = slots.compute(id, (k, old) -> old == null || !old.expires().isAfter(now) ? fresh : old);
        if (existing == fresh) {
            return new Claim.Owner<>(id);
        }
        return existing.fingerprint().equals(fingerprint) ? new Claim.Replay<>(existing.answer()) : new Claim.Conflict<>();
    }

    /** Remembers {@code answer} for the key; or forgets the key when {@code remember} says so (to let a retry through). */
    public void complete(Claim.Owner<A> owner, A answer, Predicate<A> remember) {
        Slot<A> slot = slots.get(owner.key());
        if (slot == null) {
            return;
        }
        if (!remember.test(answer)) {
            slots.remove(owner.key(), slot);
        }
        slot.answer().complete(answer);
    }

    /** The work failed unexpectedly: waiters fail too, and the key is free again. */
    public void forget(Claim.Owner<A> owner, Throwable failure) {
        Slot<A> slot = slots.remove(owner.key());
        if (slot != null) {
            slot.answer().completeExceptionally(failure);
        }
    }

    public int size() {
        return slots.size();
    }

    private void evictExpired(Instant now) {
        for (Iterator<Slot<A>> it = slots.values().iterator(); it.hasNext(); ) {
            Slot<A> slot = it.next();
            if (!slot.expires().isAfter(now) && slot.answer().isDone()) {
                it.remove();
            }
        }
        if (slots.size() >= maxEntries) {
            throw new IllegalStateException("The idempotency cache is full (" + maxEntries
                    + " keys within their TTL): raise delivery.send-service.idempotency.max-entries or lower the TTL");
        }
    }
}
