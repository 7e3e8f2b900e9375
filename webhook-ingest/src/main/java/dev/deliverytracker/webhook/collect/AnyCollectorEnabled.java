package dev.deliverytracker.webhook.collect;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.value.PropertyResolver;

/** Whether any provider's result collector is switched on ({@code delivery.collectors.<provider>.enabled}). */
public final class AnyCollectorEnabled implements Condition {

    static final String[] PROVIDERS = {"ncp-sens", "aligo"};

    @Override
    public boolean matches(ConditionContext context) {
        if (!(context.getBeanContext() instanceof PropertyResolver properties)) {
            return false;
        }
        for (String provider : PROVIDERS) {
            if (properties.getProperty("delivery.collectors." + provider + ".enabled", Boolean.class, false)) {
                return true;
            }
        }
        return false;
    }
}
