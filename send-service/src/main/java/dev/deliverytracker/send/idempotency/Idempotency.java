package dev.deliverytracker.send.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs a request at most once per {@code (origin, Idempotency-Key)} within a TTL, in this instance's memory. The first
 * request with a key does the work; a concurrent or later one with the same key and the same body gets the first
 * answer (waiting for it if needed), one with another body a conflict. Answers a retry should repeat (5xx, untracked
 * sends) are not remembered, so the retry does the work again; the provider-side key ({@link #providerKey}) then keeps
 * the provider from sending twice.
 * <p>
 * The keys live in a Caffeine cache that expires them after the TTL, without a scan. It is bounded by count: when
 * it is full the oldest finished keys leave first (read from the cache's write order, a few at a time), so the
 * newest keys, which retries need most, stay, and a request still in flight is never evicted. (The hand-written map
 * this replaces scanned every entry near capacity and then answered 500. Caffeine's own size bound is not used: its
 * admission policy would turn away new one-time keys in favour of old ones.)
 *
 * @param <A> the remembered answer
 */
public final class Idempotency<A> {

    /** The longest Idempotency-Key accepted (printable ASCII). */
    public static final int MAX_KEY_LENGTH = 255;

    /** What became of a request run under a key. */
    public sealed interface Outcome<A> {
        /** The answer; {@code replayed} when it is the first request's, not this one's. */
        record Answered<A>(A answer, boolean replayed) implements Outcome<A> {
        }

        /** The key was used with another body within its TTL. */
        record Conflict<A>() implements Outcome<A> {
        }

        /** The first request with this key failed or did not finish within the replay wait: retry with the same key. */
        record FirstDidNotFinish<A>() implements Outcome<A> {
        }
    }

    private record Slot<A>(String fingerprint, CompletableFuture<A> answer) {
    }

    /** How many keys leave at once when the cache is full, so a full cache does not trim on every request. */
    private static final int EVICTION_BATCH = 64;

    private final Cache<String, Slot<A>> slots;
    private final long maxEntries;
    private final Duration replayWait;

    public Idempotency(Duration ttl, long maxEntries, Duration replayWait) {
        this(ttl, maxEntries, replayWait, Ticker.systemTicker());
    }

    /** With a {@code ticker} (nanoseconds) so tests can move time. */
    Idempotency(Duration ttl, long maxEntries, Duration replayWait, Ticker ticker) {
        this.slots = Caffeine.newBuilder().expireAfterWrite(ttl).ticker(ticker).executor(Runnable::run).build();
        this.maxEntries = maxEntries;
        this.replayWait = replayWait;
    }

    /**
     * Runs {@code work} (given the provider-side key) unless this key already has an answer or a request in flight.
     *
     * @param fingerprint what identifies the request's content ({@link #fingerprint}); the same key with another is a conflict
     * @param remember    whether an answer may be replayed; if not, the key is freed for a retry
     */
    public Outcome<A> execute(String origin, String key, String fingerprint, Function<String, A> work, Predicate<A> remember) {
        String id = origin + '\u0000' + key;
        makeRoom();
        Slot<A> fresh = new Slot<>(fingerprint, new CompletableFuture<>());
        Slot<A> existing = slots.asMap().putIfAbsent(id, fresh);
        if (existing != null) {
            return existing.fingerprint().equals(fingerprint) ? replay(existing) : new Outcome.Conflict<>();
        }
        A answer;
        try {
            answer = work.apply(providerKey(origin, key));
        } catch (RuntimeException | Error e) {
            slots.asMap().remove(id, fresh);
            fresh.answer().completeExceptionally(e);
            throw e;
        }
        if (!remember.test(answer)) {
            slots.asMap().remove(id, fresh);
        }
        fresh.answer().complete(answer);
        return new Outcome.Answered<>(answer, false);
    }

    private Outcome<A> replay(Slot<A> first) {
        try {
            return new Outcome.Answered<>(first.answer().get(replayWait.toMillis(), TimeUnit.MILLISECONDS), true);
        } catch (ExecutionException | TimeoutException e) {
            return new Outcome.FirstDidNotFinish<>();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.FirstDidNotFinish<>();
        }
    }

    /** When full, the oldest finished keys leave (in write order, a batch at a time); keys in flight stay. */
    private void makeRoom() {
        long over = slots.estimatedSize() - maxEntries + 1;
        if (over <= 0) {
            return;
        }
        slots.policy().expireAfterWrite().ifPresent(order -> order.oldest((int) Math.min(over + EVICTION_BATCH, Integer.MAX_VALUE))
                .forEach((id, slot) -> {
                    if (slot.answer().isDone()) {
                        slots.asMap().remove(id, slot);
                    }
                }));
    }

    /** Keys remembered or in flight now. */
    public long size() {
        slots.cleanUp();
        return slots.estimatedSize();
    }

    /** Why {@code key} is not a usable Idempotency-Key header, or empty when it is. */
    public static Optional<String> keyProblem(String key) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return Optional.of("1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
        }
        return Optional.empty();
    }

    /** The provider's idempotency key: scoped by origin, hashed so any producer key fits Bizgo's 200-character limit. */
    public static String providerKey(String origin, String key) {
        return "dt-" + sha256(origin + '\u0000' + key).substring(0, 48);
    }

    /** A request's content fingerprint: its kind (single, batch) and its exact body. */
    public static String fingerprint(String kind, byte[] body) {
        return sha256(kind + '\u0000' + new String(body, StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
