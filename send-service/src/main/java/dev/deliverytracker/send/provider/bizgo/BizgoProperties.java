package dev.deliverytracker.send.provider.bizgo;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Bizgo's send API ({@code delivery.providers.bizgo.*}). The key comes from the environment ({@code BIZGO_API_KEY})
 * and is never logged.
 *
 * @param baseUrl         {@code https://mars.ibapi.kr} (production) or {@code https://sandbox-mars.ibapi.kr}
 * @param apiKey          the raw API key, sent as {@code Authorization: <key>} with no prefix
 * @param senderKey       the default KakaoTalk sender profile key, when a request does not name one
 * @param smsFrom         the default registered sender number for SMS/LMS
 * @param connectTimeout  TCP connect timeout
 * @param readTimeout     how long to wait for an answer to one request
 * @param maxRetries      retries after the first attempt, only where safe (idempotency key, or never sent)
 * @param initialBackoff  the first pause; doubled each retry, with ±20 % jitter
 * @param maxBackoff      the longest pause (also caps a Retry-After)
 * @param idempotencyTtl  how long Bizgo remembers our idempotency key (at most 24 h)
 */
@ConfigurationProperties("delivery.providers.bizgo")
public record BizgoProperties(
        @Bindable(defaultValue = "https://mars.ibapi.kr") String baseUrl,
        @Nullable String apiKey,
        @Nullable String senderKey,
        @Nullable String smsFrom,
        @Bindable(defaultValue = "2s") Duration connectTimeout,
        @Bindable(defaultValue = "5s") Duration readTimeout,
        @Bindable(defaultValue = "2") int maxRetries,
        @Bindable(defaultValue = "500ms") Duration initialBackoff,
        @Bindable(defaultValue = "8s") Duration maxBackoff,
        @Bindable(defaultValue = "24h") Duration idempotencyTtl) {
}
