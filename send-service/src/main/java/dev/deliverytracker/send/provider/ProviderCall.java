package dev.deliverytracker.send.provider;

import dev.deliverytracker.retry.Backoff;
import dev.deliverytracker.send.dispatch.ProviderAnswer;
import dev.deliverytracker.send.dispatch.ProviderUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * One send to a provider with the retries that are safe, the same for every adapter. What may be repeated depends on
 * whether the provider could already have taken the request: a refused connection never left, a rate limit was
 * refused before processing, so both are repeated; a timeout, a broken connection or an answer that may have been
 * processed is repeated only when the provider honours an idempotency key for this request ({@code idempotent}).
 */
public final class ProviderCall {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCall.class);

    /** What one attempt came to: the answers, or why there are none. */
    public sealed interface Outcome {
        record Answered(List<ProviderAnswer> answers) implements Outcome {
        }

        /**
         * No answers. {@code disposition} is how the provider answered: MISCONFIGURED stops at once, RATE_LIMITED is
         * repeated, RETRY_IF_IDEMPOTENT is repeated only when idempotent (its outcome unknown otherwise).
         */
        record Refused(AnswerDisposition disposition, String problem, Duration retryAfter) implements Outcome {
        }
    }

    /** One attempt: an HTTP exchange and its judging. */
    @FunctionalInterface
    public interface Attempt {
        Outcome call() throws IOException, InterruptedException, ProviderUnavailableException;
    }

    private final String provider;
    private final URI target;
    private final Duration readTimeout;
    private final Backoff backoff;

    /** @param provider the provider's name as people read it (Bizgo, SENS), in messages and logs */
    public ProviderCall(String provider, URI target, Duration readTimeout, Backoff backoff) {
        this.provider = provider;
        this.target = target;
        this.readTimeout = readTimeout;
        this.backoff = backoff;
    }

    /**
     * @param idempotent   whether the provider would recognise a repeat of this very request (Bizgo with an
     *                     idempotency key; never for SENS)
     * @param notRepeated  said when an unknown outcome is not repeated because the request is not idempotent
     * @throws ProviderUnavailableException when no attempt settled the request
     */
    public List<ProviderAnswer> run(boolean idempotent, String notRepeated, Attempt attempt) throws ProviderUnavailableException {
        for (int n = 0; ; n++) {
            String problem;
            boolean retry;
            boolean outcomeUnknown;
            Duration retryAfter = null;
            Throwable cause = null;
            try {
                Outcome outcome = attempt.call();
                if (outcome instanceof Outcome.Answered answered) {
                    return answered.answers();
                }
                Outcome.Refused refused = (Outcome.Refused) outcome;
                problem = refused.problem();
                if (refused.disposition() == AnswerDisposition.MISCONFIGURED) {
                    throw new ProviderUnavailableException(problem, false, n + 1, null);
                }
                boolean rateLimited = refused.disposition() == AnswerDisposition.RATE_LIMITED;
                outcomeUnknown = !rateLimited;
                retry = rateLimited || idempotent;
                retryAfter = refused.retryAfter();
            } catch (ConnectException e) {
                problem = "cannot connect to " + provider + " at " + target.getHost() + ":" + (target.getPort() < 0 ? 443 : target.getPort());
                cause = e;
                outcomeUnknown = false; // the request never left
                retry = true;
            } catch (HttpTimeoutException e) {
                problem = provider + " did not answer within " + readTimeout;
                cause = e;
                outcomeUnknown = true;
                retry = idempotent;
            } catch (IOException e) {
                problem = "the connection to " + provider + " failed: " + e.getClass().getSimpleName();
                cause = e;
                outcomeUnknown = true;
                retry = idempotent;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderUnavailableException("interrupted while calling " + provider, true, n + 1, e);
            }
            if (!retry || n >= backoff.maxRetries()) {
                String detail = problem + (n > 0 ? " (after " + (n + 1) + " attempts)" : "") + (outcomeUnknown && !idempotent ? "; " + notRepeated : "");
                throw new ProviderUnavailableException(detail, outcomeUnknown, n + 1, cause);
            }
            Duration pause = backoff.pause(n, retryAfter);
            LOG.warn("{} send attempt {} failed ({}); retrying in {} ms", provider, n + 1, problem, pause.toMillis());
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderUnavailableException("interrupted while backing off", outcomeUnknown, n + 1, e);
            }
        }
    }
}
