package dev.deliverytracker.send.provider.aligo;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Aligo's AlimTalk API ({@code delivery.providers.aligo.*}). Keys from the environment ({@code ALIGO_API_KEY},
 * {@code ALIGO_USER_ID}), never logged. Off unless {@code enabled}; its results are collected by webhook-ingest
 * ({@code ALIGO_COLLECTOR_ENABLED}), without which its messages would end STUCK_PENDING.
 *
 * @param baseUrl        {@code https://kakaoapi.aligo.in} (AlimTalk)
 * @param smsBaseUrl     {@code https://apis.aligo.in} (plain SMS/LMS)
 * @param senderKey      the default KakaoTalk sender profile key ({@code senderkey})
 * @param sender         the registered sender number ({@code sender}, also the fail-over SMS's)
 * @param tokenLifetime  how long a token is asked to live ({@code /akv10/token/create/{minutes}/i/}); renewed before
 * @param testMode       {@code testMode=Y}: Aligo sends nothing
 */
@ConfigurationProperties("delivery.providers.aligo")
public record AligoProperties(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "https://kakaoapi.aligo.in") String baseUrl,
        @Bindable(defaultValue = "https://apis.aligo.in") String smsBaseUrl,
        @Nullable String apiKey,
        @Nullable String userId,
        @Nullable String senderKey,
        @Nullable String sender,
        @Bindable(defaultValue = "1h") Duration tokenLifetime,
        @Bindable(defaultValue = "false") boolean testMode,
        @Bindable(defaultValue = "2s") Duration connectTimeout,
        @Bindable(defaultValue = "5s") Duration readTimeout,
        @Bindable(defaultValue = "2") int maxRetries,
        @Bindable(defaultValue = "500ms") Duration initialBackoff,
        @Bindable(defaultValue = "8s") Duration maxBackoff) {
}
