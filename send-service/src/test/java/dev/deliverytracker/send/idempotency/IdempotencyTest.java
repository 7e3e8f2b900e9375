package dev.deliverytracker.send.idempotency;

import dev.deliverytracker.send.idempotency.Idempotency.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyTest {

    private final AtomicLong nanos = new AtomicLong();
    /** Its own threads: the common pool has one worker on a 2-core machine, which would serialise the requests. */
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private Idempotency<String> idempotency(long maxEntries) {
        return new Idempotency<>(Duration.ofHours(24), maxEntries, Duration.ofSeconds(5), nanos::get);
    }

    private Outcome<String> run(Idempotency<String> idempotency, String origin, String key, String body, String answer) {
        return idempotency.execute(origin, key, Idempotency.fingerprint("single", body.getBytes(StandardCharsets.UTF_8)),
                providerKey -> {
                    runs.incrementAndGet();
                    return answer + "@" + providerKey;
                }, a -> !a.startsWith("5xx"));
    }

    @Test
    void theSameKeyAndBodyReplaysTheFirstAnswerAnotherBodyIsAConflictAndOriginsAreSeparate() {
        Idempotency<String> idempotency = idempotency(100);
        Outcome<String> first = run(idempotency, "billing", "k1", "{a}", "202");
        assertThat(first).isEqualTo(new Outcome.Answered<>("202@" + Idempotency.providerKey("billing", "k1"), false));
        assertThat(run(idempotency, "billing", "k1", "{a}", "other")).isEqualTo(new Outcome.Answered<>(
                "202@" + Idempotency.providerKey("billing", "k1"), true));
        assertThat(run(idempotency, "billing", "k1", "{b}", "other")).isInstanceOf(Outcome.Conflict.class);
        assertThat(run(idempotency, "auth", "k1", "{b}", "auth's")).isEqualTo(new Outcome.Answered<>(
                "auth's@" + Idempotency.providerKey("auth", "k1"), false));
        assertThat(runs).hasValue(2);
        assertThat(Idempotency.providerKey("billing", "k1")).isNotEqualTo(Idempotency.providerKey("auth", "k1"))
                .startsWith("dt-").hasSize(51);
    }

    @Test
    void anAnswerNotWorthRememberingAndAFailureFreeTheKeyForARetry() {
        Idempotency<String> idempotency = idempotency(100);
        run(idempotency, "billing", "k", "{a}", "5xx");
        assertThat(run(idempotency, "billing", "k", "{a}", "202")).isEqualTo(new Outcome.Answered<>(
                "202@" + Idempotency.providerKey("billing", "k"), false));
        assertThatThrownBy(() -> idempotency.execute("billing", "boom", "f", key -> {
            throw new IllegalStateException("provider exploded");
        }, a -> true)).hasMessage("provider exploded");
        assertThat(idempotency.execute("billing", "boom", "f", key -> "202", a -> true))
                .isEqualTo(new Outcome.Answered<>("202", false));
    }

    @Test
    void aKeyIsForgottenAfterItsTtl() {
        Idempotency<String> idempotency = idempotency(100);
        run(idempotency, "billing", "k", "{a}", "first");
        nanos.addAndGet(Duration.ofHours(24).minusSeconds(1).toNanos());
        assertThat(run(idempotency, "billing", "k", "{b}", "x")).as("within the TTL").isInstanceOf(Outcome.Conflict.class);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(run(idempotency, "billing", "k", "{b}", "second")).isEqualTo(new Outcome.Answered<>(
                "second@" + Idempotency.providerKey("billing", "k"), false));
    }

    @Test
    void aFullCacheLetsItsOldestKeysGoAndKeepsTheNewest() {
        Idempotency<String> idempotency = idempotency(100);
        for (int i = 0; i < 1_000; i++) {
            nanos.addAndGet(1_000_000); // a millisecond apart
            assertThat(run(idempotency, "billing", "key-" + i, "{a}", "202")).isInstanceOf(Outcome.Answered.class);
        }
        assertThat(idempotency.size()).isLessThanOrEqualTo(100);
        assertThat(runs).hasValue(1_000);
        for (int i = 990; i < 1_000; i++) {
            assertThat(run(idempotency, "billing", "key-" + i, "{a}", "again")).as("key-" + i + ", among the newest")
                    .isEqualTo(new Outcome.Answered<>("202@" + Idempotency.providerKey("billing", "key-" + i), true));
        }
        assertThat(run(idempotency, "billing", "key-0", "{a}", "again")).as("the oldest key left")
                .isEqualTo(new Outcome.Answered<>("again@" + Idempotency.providerKey("billing", "key-0"), false));
    }

    @Test
    void aRequestInFlightIsNeverEvictedByAFullCache() throws Exception {
        Idempotency<String> idempotency = idempotency(10);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Outcome<String>> first = firstRequestHeldOpen(idempotency, release, "the first answer");
        for (int i = 0; i < 100; i++) {
            run(idempotency, "billing", "filler-" + i, "{a}", "202");
        }
        CompletableFuture<Outcome<String>> second = CompletableFuture.supplyAsync(() ->
                idempotency.execute("o", "k", "f", key -> "must not run", a -> true), threads);
        release.countDown();
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome.Answered<>("the first answer", true));
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome.Answered<>("the first answer", false));
    }

    /** A first request with key "k" that is working until {@code release} opens, then answers {@code answer}. */
    private CompletableFuture<Outcome<String>> firstRequestHeldOpen(Idempotency<String> idempotency, CountDownLatch release,
                                                                    String answer) throws InterruptedException {
        CountDownLatch working = new CountDownLatch(1);
        CompletableFuture<Outcome<String>> first = CompletableFuture.supplyAsync(() -> idempotency.execute("o", "k", "f", key -> {
            working.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer;
        }, a -> true), threads);
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    @Test
    void aConcurrentRequestWithTheSameKeyWaitsForTheFirstAnswer() throws Exception {
        Idempotency<String> idempotency = idempotency(100);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Outcome<String>> first = firstRequestHeldOpen(idempotency, release, "the first answer");
        CompletableFuture<Outcome<String>> second = CompletableFuture.supplyAsync(() ->
                idempotency.execute("o", "k", "f", key -> "must not run", a -> true), threads);
        assertThat(second).isNotDone();
        release.countDown();
        assertThat(List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS))).containsExactly(
                new Outcome.Answered<>("the first answer", false), new Outcome.Answered<>("the first answer", true));
    }

    @Test
    void aReplayWhoseFirstRequestDoesNotFinishInTimeIsToldToRetry() throws Exception {
        Idempotency<String> idempotency = new Idempotency<>(Duration.ofHours(1), 100, Duration.ofMillis(50), nanos::get);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Outcome<String>> first = firstRequestHeldOpen(idempotency, release, "late");
        assertThat(idempotency.execute("o", "k", "f", key -> "must not run", a -> true)).isInstanceOf(Outcome.FirstDidNotFinish.class);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome.Answered<>("late", false));
    }

    @Test
    void keySyntax() {
        assertThat(Idempotency.keyProblem("order-42:retry")).isEmpty();
        assertThat(Idempotency.keyProblem("x".repeat(255))).isEmpty();
        assertThat(Idempotency.keyProblem("x".repeat(256))).isPresent();
        assertThat(Idempotency.keyProblem(" ")).isPresent();
        assertThat(Idempotency.keyProblem("has space")).isPresent();
        assertThat(Idempotency.keyProblem("주문")).isPresent();
    }
}
