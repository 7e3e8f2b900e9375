package dev.deliverytracker.webhook.collect;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The NCP SENS result collector ({@code delivery.collectors.ncp-sens.*}), on when {@code enabled} (its Kafka Streams
 * application: {@link CollectorProperties}); the keys and the service id are send-service's ({@code NCP_ACCESS_KEY}, {@code NCP_SECRET_KEY}, {@code NCP_SENS_ALIMTALK_SERVICE_ID}).
 *
 * @param baseUrl           {@code https://sens.apigw.ntruss.com}
 * @param smsServiceId      the SMS project's service id, when plain SMS/LMS are sent through SENS (NCP_SENS_SMS_SERVICE_ID)
 * @param recipientHashKey  send-service's RECIPIENT_HASH_KEY: SENS's SMS list names messages by number only
 * @param pollInterval      how often due messages are looked for
 * @param firstAsk          how long after the send a message is first asked about (SENS needs seconds)
 * @param maxAskInterval    the longest pause between two asks about a message still "processing"
 * @param giveUpAfter       how long after the send a message SENS does not know (or keeps "processing") is still asked
 *                          about; then it is dropped, counted and logged (status-stream has long reported it stuck)
 * @param maxRequestsPerRound how many SENS requests one round asks about at most (SENS publishes no rate limit)
 * @param requestTimeout    how long one result call may take
 * @param maxBackoff        the longest pause after SENS refused or failed (429, 5xx, unreachable)
 * @param roundBudget       how long one round may spend calling SENS (it runs inside a Kafka transaction: keep it
 *                          well under the 10 s transaction timeout)
 */
@ConfigurationProperties("delivery.collectors.ncp-sens")
public record SensCollectorProperties(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "https://sens.apigw.ntruss.com") String baseUrl,
        @Nullable String accessKey,
        @Nullable String secretKey,
        @Nullable String alimtalkServiceId,
        @Nullable String smsServiceId,
        @Nullable String recipientHashKey,
        @Bindable(defaultValue = "1s") Duration pollInterval,
        @Bindable(defaultValue = "5s") Duration firstAsk,
        @Bindable(defaultValue = "5m") Duration maxAskInterval,
        @Bindable(defaultValue = "48h") Duration giveUpAfter,
        @Bindable(defaultValue = "50") int maxRequestsPerRound,
        @Bindable(defaultValue = "5s") Duration requestTimeout,
        @Bindable(defaultValue = "2m") Duration maxBackoff,
        @Bindable(defaultValue = "3s") Duration roundBudget) {
}
