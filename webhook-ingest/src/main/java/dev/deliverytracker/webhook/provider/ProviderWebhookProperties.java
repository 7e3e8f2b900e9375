package dev.deliverytracker.webhook.provider;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One provider's webhook ({@code delivery.webhooks.providers.<name>.*}).
 *
 * @param name                the provider id written into reports (bizgo)
 * @param type                which adapter parses it (defaults to the name)
 * @param paths               the URL paths the provider posts to; several may map to one provider
 * @param secrets             signing secrets, from the environment; two during a rotation
 * @param allowedSources      addresses or CIDR ranges the provider sends from (literals only: no DNS); required unless
 *                            {@code allowAnySource}
 * @param allowAnySource      accept any source address (the signature alone protects the route); logged at start-up
 * @param timestampTolerance  how far the signed timestamp may be from now
 * @param silentRejectSources answer a disallowed source 200 (storing nothing) instead of 403, as the seed did
 * @param mapping             for generic (Standard Webhooks) providers: JSON Pointers to the report's fields
 *                            ({@code msg-key}, {@code code}, {@code text}, {@code channel}, {@code delivered})
 */
@EachProperty("delivery.webhooks.providers")
public record ProviderWebhookProperties(@Parameter String name,
                                        @Nullable String type,
                                        List<String> paths,
                                        @Nullable List<String> secrets,
                                        @Nullable List<String> allowedSources,
                                        @Bindable(defaultValue = "false") boolean allowAnySource,
                                        @Bindable(defaultValue = "5m") Duration timestampTolerance,
                                        @Bindable(defaultValue = "false") boolean silentRejectSources,
                                        @Nullable Map<String, String> mapping) {

    public String adapterType() {
        return type == null || type.isBlank() ? name : type;
    }

    public List<String> secretList() {
        return secrets == null ? List.of() : secrets.stream().filter(s -> s != null && !s.isBlank()).toList();
    }

    public Map<String, String> mappingOrEmpty() {
        return mapping == null ? Map.of() : mapping;
    }

    public List<String> allowedSourceList() {
        return allowedSources == null ? List.of() : allowedSources.stream().filter(s -> s != null && !s.isBlank()).toList();
    }
}
