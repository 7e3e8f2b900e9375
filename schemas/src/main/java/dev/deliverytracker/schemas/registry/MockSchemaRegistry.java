package dev.deliverytracker.schemas.registry;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process Schema Registry for tests and the one-machine mode, selected with {@code mock://<scope>} URLs
 * (the convention of Confluent's own serdes). It behaves like the real registry for everything this project
 * uses: global ids starting at 1 and shared across subjects for equal schemas, versions per subject starting at 1,
 * re-registering an equal schema returns its existing id, and registration is checked against the subject's
 * compatibility level (global default BACKWARD).
 *
 * <p>Serdes are created by Kafka through reflection and only see a config map, so every serde configured with
 * the same {@code mock://scope} must find the same registry: {@link #scope(String)} keeps one instance per scope
 * name for the life of the JVM. This is the one deliberate piece of static state in the project; tests that want
 * a clean registry use a fresh scope name or {@link #dropScope(String)}.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    public static final String URL_PREFIX = "mock://";

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

    public MockSchemaRegistry(String scope) {
        this.scope = scope;
    }

    /** The shared registry of {@code scope}, created on first use. */
    public static MockSchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, MockSchemaRegistry::new);
    }

    /** Forgets a scope: the next {@link #scope(String)} call with its name starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    /** The scope name in a {@code mock://scope} URL. */
    public static String scopeOf(String url) {
        if (!url.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("not a mock registry URL: " + url);
        }
        String scope = url.substring(URL_PREFIX.length());
        return scope.endsWith("/") ? scope.substring(0, scope.length() - 1) : scope;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        for (int id : versions) {
            if (schemasById.get(id - 1).equals(schema)) {
                return id;
            }
        }
        CompatibilityLevel level = compatibility(subject);
        if (!level.allows(schema, schemasOf(versions))) {
            throw SchemaRegistryException.of(SchemaRegistryException.Reason.INCOMPATIBLE, 409, location(),
                    "register a schema under subject '" + subject + "'",
                    "Schema being registered is incompatible with an earlier schema for subject '" + subject
                            + "' (compatibility " + level + ")");
        }
        int id = globalIdOf(schema);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        List<Integer> versions = existingVersions(subject, "look up a schema under subject '" + subject + "'");
        for (int id : versions) {
            if (schemasById.get(id - 1).equals(schema)) {
                return id;
            }
        }
        throw SchemaRegistryException.of(SchemaRegistryException.Reason.SCHEMA_NOT_FOUND, 40403, location(),
                "look up a schema under subject '" + subject + "'", "Schema not found");
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw SchemaRegistryException.of(SchemaRegistryException.Reason.SCHEMA_NOT_FOUND, 40403, location(),
                    "fetch schema id " + id, "Schema " + id + " not found");
        }
        return schemasById.get(id - 1);
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = existingVersions(subject, "fetch the latest version of subject '" + subject + "'");
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, id, versions.size(), schemasById.get(id - 1));
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return compatibility(subject).allows(schema, schemasOf(versionsBySubject.getOrDefault(subject, List.of())));
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, level);
    }

    /** Sets the global default level (BACKWARD unless changed). */
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        globalLevel = level;
    }

    /** The versions of a subject, oldest first, as (id, version) pairs. */
    public synchronized List<RegisteredSchema> versions(String subject) {
        List<Integer> ids = existingVersions(subject, "list the versions of subject '" + subject + "'");
        List<RegisteredSchema> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            out.add(new RegisteredSchema(subject, ids.get(i), i + 1, schemasById.get(ids.get(i) - 1)));
        }
        return out;
    }

    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    @Override
    public String location() {
        return URL_PREFIX + scope;
    }

    private int globalIdOf(Schema schema) {
        int index = schemasById.indexOf(schema);
        if (index >= 0) {
            return index + 1;
        }
        schemasById.add(schema);
        return schemasById.size();
    }

    private List<Integer> existingVersions(String subject, String what) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw SchemaRegistryException.of(SchemaRegistryException.Reason.SUBJECT_NOT_FOUND, 40401, location(), what,
                    "Subject '" + subject + "' not found");
        }
        return versions;
    }

    private List<Schema> schemasOf(List<Integer> ids) {
        List<Schema> out = new ArrayList<>(ids.size());
        for (int id : ids) {
            out.add(schemasById.get(id - 1));
        }
        return out;
    }
}
