package dev.deliverytracker.support.webhook;

import dev.deliverytracker.retry.Backoff;
import dev.deliverytracker.retry.RetryAfter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one outbound webhook (a JSON POST) to one endpoint, with the retries a receiver deserves: 2xx is done;
 * 429 and 5xx and connection failures are retried with back-off (honouring {@code Retry-After}, capped by the
 * policy's maximum); any other 4xx is final at once (retrying would only repeat the refusal). Optionally signs every
 * attempt (Standard Webhooks). Blocks its caller while it waits: run it on a thread of its own per endpoint, so a
 * slow receiver holds up nobody else.
 *
 * <p>Never logs the URL (Slack's and many others' URLs are the secret) nor the body; {@code name} identifies the
 * endpoint in logs.
 */
public final class OutboundWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundWebhook.class);

    /** What became of a send. */
    public record Result(boolean delivered, int status, int attempts, String error, boolean retriesExhausted) {
    }

    /** Called before each retry's wait, e.g. to count retries. */
    public interface RetryListener {
        void retrying(int attempt, Duration wait, String reason);
    }

    private final String name;
    private final URI url;
    private final Backoff policy; // retries after the first attempt
    private final Duration timeout;
    private final StandardWebhookSigner signer;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;

    /** How the sender waits between attempts; tests may replace it to wait on a condition instead. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public OutboundWebhook(String name, URI url, Backoff policy, Duration timeout, StandardWebhookSigner signer) {
        this(name, url, policy, timeout, signer, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    public OutboundWebhook(String name, URI url, Backoff policy, Duration timeout, StandardWebhookSigner signer, Clock clock,
                           Sleeper sleeper) {
        this.name = name;
        this.url = url;
        this.policy = policy;
        this.timeout = timeout;
        this.signer = signer;
        this.clock = clock;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String name() {
        return name;
    }

    /** POSTs {@code body}; {@code id} is the webhook-id every attempt shares (receivers dedupe on it). */
    public Result send(String id, byte[] body, RetryListener retries) {
        String lastError = null;
        int lastStatus = 0;
        int attempts = policy.maxRetries() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            if (signer != null) {
                headers.putAll(signer.headers(id, clock.instant().getEpochSecond(), body));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                lastStatus = response.statusCode();
                if (lastStatus / 100 == 2) {
                    return new Result(true, lastStatus, attempt, null, false);
                }
                lastError = "HTTP " + lastStatus;
                if (lastStatus != 429 && lastStatus < 500) {
                    LOG.warn("Webhook {} refused {} with {} (not retried: a 4xx will not change)", name, id, lastStatus);
                    return new Result(false, lastStatus, attempt, lastError, false);
                }
                wait = policy.pause(attempt - 1, RetryAfter.of(response).orElse(null)); // a Retry-After, capped at the maximum
            } catch (IOException e) {
                lastStatus = 0;
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                wait = policy.pause(attempt - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, lastStatus, attempt, "interrupted", false);
            }
            if (attempt == attempts) {
                break;
            }
            LOG.info("Webhook {} attempt {} for {} failed ({}); retrying in {} ms", name, attempt, id, lastError, wait.toMillis());
            if (retries != null) {
                retries.retrying(attempt, wait, lastError);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, lastStatus, attempt, "interrupted", false);
            }
        }
        LOG.warn("Webhook {} gave up on {} after {} attempts: {}", name, id, policy.maxRetries() + 1, lastError);
        return new Result(false, lastStatus, policy.maxRetries() + 1, lastError, true);
    }

}
