package dev.deliverytracker.send.provider.sens;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * NCP SENS's AlimTalk API ({@code delivery.providers.ncp-sens.*}). The adapter exists only when an access key is set;
 * the keys come from the environment ({@code NCP_ACCESS_KEY}, {@code NCP_SECRET_KEY}) and are never logged.
 *
 * @param baseUrl           {@code https://sens.apigw.ntruss.com}
 * @param accessKey         the NCP API access key ({@code x-ncp-iam-access-key})
 * @param secretKey         its secret key, which signs each request
 * @param alimtalkServiceId the SENS AlimTalk project's service id ({@code ncp:kkobizmsg:kr:...})
 * @param smsServiceId      the SENS SMS project's service id ({@code ncp:sms:kr:...}), for flows of one SMS or LMS; unset, such
 *                          flows are refused
 * @param plusFriendId      the default KakaoTalk channel ({@code @name}), when a request names no sender key
 * @param smsFrom           the default registered sender number of the SMS/LMS fail-over
 * @param connectTimeout    TCP connect timeout
 * @param readTimeout       how long to wait for an answer to one request
 * @param maxRetries        retries after the first attempt, only where safe (never sent, or refused before processing)
 * @param initialBackoff    the first pause; doubled each retry, with ±20 % jitter
 * @param maxBackoff        the longest pause
 */
@ConfigurationProperties("delivery.providers.ncp-sens")
public record SensProperties(
        @Bindable(defaultValue = "https://sens.apigw.ntruss.com") String baseUrl,
        @Nullable String accessKey,
        @Nullable String secretKey,
        @Nullable String alimtalkServiceId,
        @Nullable String smsServiceId,
        @Nullable String plusFriendId,
        @Nullable String smsFrom,
        @Bindable(defaultValue = "2s") Duration connectTimeout,
        @Bindable(defaultValue = "5s") Duration readTimeout,
        @Bindable(defaultValue = "2") int maxRetries,
        @Bindable(defaultValue = "500ms") Duration initialBackoff,
        @Bindable(defaultValue = "8s") Duration maxBackoff) {
}
