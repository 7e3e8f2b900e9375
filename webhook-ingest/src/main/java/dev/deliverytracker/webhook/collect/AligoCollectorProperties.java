package dev.deliverytracker.webhook.collect;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The Aligo result collector ({@code delivery.collectors.aligo.*}), on when {@code enabled}; the key and user id are
 * send-service's ({@code ALIGO_API_KEY}, {@code ALIGO_USER_ID}), and it needs send-service's
 * {@code RECIPIENT_HASH_KEY} to match Aligo's rows to messages; {@code smsBaseUrl} is Aligo's SMS API, where the
 * fail-over SMS's state is read. Timings as for SENS ({@link SensCollectorProperties});
 * Aligo retries a recipient for up to 24 h, so a message is asked about for longer by default.
 */
@ConfigurationProperties("delivery.collectors.aligo")
public record AligoCollectorProperties(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "https://kakaoapi.aligo.in") String baseUrl,
        @Bindable(defaultValue = "https://apis.aligo.in") String smsBaseUrl,
        @Nullable String apiKey,
        @Nullable String userId,
        @Nullable String recipientHashKey,
        @Bindable(defaultValue = "1s") Duration pollInterval,
        @Bindable(defaultValue = "10s") Duration firstAsk,
        @Bindable(defaultValue = "10m") Duration maxAskInterval,
        @Bindable(defaultValue = "72h") Duration giveUpAfter,
        @Bindable(defaultValue = "20") int maxRequestsPerRound,
        @Bindable(defaultValue = "5s") Duration requestTimeout,
        @Bindable(defaultValue = "2m") Duration maxBackoff,
        @Bindable(defaultValue = "3s") Duration roundBudget) {
}
