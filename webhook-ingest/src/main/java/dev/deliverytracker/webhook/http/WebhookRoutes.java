package dev.deliverytracker.webhook.http;

import dev.deliverytracker.webhook.provider.ProviderWebhookProperties;
import dev.deliverytracker.webhook.provider.ReportAdapter;
import dev.deliverytracker.webhook.provider.ReportAdapters;
import dev.deliverytracker.webhook.security.CidrRange;

import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which provider a path belongs to, with its adapter and source allow-list. Built once from configuration. */
public final class WebhookRoutes {

    /** One configured provider webhook. */
    public record Route(String provider, ReportAdapter adapter, List<CidrRange> allowedSources, boolean allowAnySource,
                        boolean silentRejectSources) {
        public boolean allows(InetAddress source) {
            return allowAnySource || allowedSources.stream().anyMatch(r -> r.contains(source));
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookRoutes.class);

    private final Map<String, Route> byPath;

    private WebhookRoutes(Map<String, Route> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    public static WebhookRoutes of(List<ProviderWebhookProperties> providers, Clock clock) {
        Map<String, Route> byPath = new HashMap<>();
        for (ProviderWebhookProperties p : providers) {
            List<CidrRange> sources;
            try {
                sources = p.allowedSourceList().stream().map(CidrRange::parse).toList();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("delivery.webhooks.providers." + p.name() + ".allowed-sources: " + e.getMessage(), e);
            }
            String key = "delivery.webhooks.providers." + p.name();
            if (p.allowAnySource()) {
                if (!sources.isEmpty()) {
                    throw new IllegalArgumentException(key + ": allowed-sources and allow-any-source=true contradict each other; set one");
                }
                LOG.warn("{}.allow-any-source=true: webhooks for {} are accepted from any address; only the signature protects"
                        + " them (Bizgo signs only the timestamp). Set {}.allowed-sources to the provider's addresses.", key, p.name(), key);
            } else if (sources.isEmpty()) {
                throw new IllegalArgumentException(key + ".allowed-sources is empty: list the addresses or CIDR ranges " + p.name()
                        + " sends from, or set " + key + ".allow-any-source=true to accept any address (the signature alone then protects it)");
            }
            Route route = new Route(p.name(), ReportAdapters.create(p, clock), sources, p.allowAnySource(), p.silentRejectSources());
            for (String path : p.paths()) {
                String normalized = normalize(path);
                Route previous = byPath.put(normalized, route);
                if (previous != null) {
                    throw new IllegalArgumentException("webhook path " + normalized + " is configured for both "
                            + previous.provider() + " and " + p.name());
                }
            }
        }
        return new WebhookRoutes(byPath);
    }

    public Optional<Route> route(String path) {
        return Optional.ofNullable(byPath.get(normalize(path)));
    }

    public java.util.Set<String> paths() {
        return byPath.keySet();
    }

    private static String normalize(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
