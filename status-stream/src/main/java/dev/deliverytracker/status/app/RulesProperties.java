package dev.deliverytracker.status.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;

import java.time.Duration;
import java.util.Map;

/**
 * The state machine's rules ({@code delivery.*}), bound by Micronaut.
 *
 * @param maxAge           no report this long after acceptance: DEAD_LETTER / NO_REPORT
 * @param orphanGrace      how long a report waits for its send
 * @param settledRetention how long settled deliveries absorb duplicates before they are purged
 * @param emitPending      emit a PENDING status for every accepted send
 * @param timeouts         report deadlines: {@code delivery.timeouts.<provider>[.<channel>]=<duration>}, with
 *                         {@code delivery.timeouts.default} as the fallback (10 minutes when unset)
 * @param classification   overrides of the classification tables: {@code delivery.classification.<provider>.<code>=<CLASS>}
 *                         (keys as written: provider codes are case-sensitive)
 */
@ConfigurationProperties("delivery")
public record RulesProperties(
        @Bindable(defaultValue = "24h") Duration maxAge,
        @Bindable(defaultValue = "2m") Duration orphanGrace,
        @Bindable(defaultValue = "48h") Duration settledRetention,
        @Bindable(defaultValue = "true") boolean emitPending,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
        Map<String, String> timeouts,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
        Map<String, String> classification) {

    public RulesProperties {
        timeouts = timeouts == null ? Map.of() : Map.copyOf(timeouts);
        classification = classification == null ? Map.of() : Map.copyOf(classification);
    }
}
