package dev.deliverytracker.webhook.provider;

import dev.deliverytracker.webhook.provider.bizgo.BizgoWebhookAdapter;
import dev.deliverytracker.webhook.provider.standard.FieldMapping;
import dev.deliverytracker.webhook.provider.standard.StandardWebhooksAdapter;

import java.time.Clock;

/** Creates the adapter for a provider's configuration, by type. One line per provider. */
public final class ReportAdapters {

    private ReportAdapters() {
    }

    public static ReportAdapter create(ProviderWebhookProperties properties, Clock clock) {
        return switch (properties.adapterType()) {
            case "bizgo" -> new BizgoWebhookAdapter(properties.name(), properties.secretList(), properties.timestampTolerance(), clock);
            case "standard-webhooks" -> new StandardWebhooksAdapter(properties.name(), properties.secretList(),
                    properties.timestampTolerance(), FieldMapping.of(properties.name(), properties.mappingOrEmpty()), clock);
            default -> throw new IllegalArgumentException("delivery.webhooks.providers." + properties.name()
                    + ".type: no adapter named '" + properties.adapterType() + "' (known: bizgo, standard-webhooks)");
        };
    }
}
