package dev.deliverytracker.send.dispatch;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every configured provider adapter, by name. */
@Singleton
public class ProviderAdapters {

    private final Map<String, ProviderAdapter> byName = new TreeMap<>();

    public ProviderAdapters(List<ProviderAdapter> adapters) {
        for (ProviderAdapter adapter : adapters) {
            if (byName.put(adapter.name(), adapter) != null) {
                throw new IllegalStateException("Two provider adapters are named " + adapter.name());
            }
        }
    }

    public Optional<ProviderAdapter> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
