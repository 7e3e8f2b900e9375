package dev.deliverytracker.monitor.notify;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Notifications a channel finally failed to deliver (retries exhausted, or refused with a 4xx), kept on disk
 * ({@code delivery.monitor.failed-dir}, a persistent volume) so that an operator can list and re-send them through
 * the API. One JSON file per notification, written atomically. The listener commits its offset only after a
 * notification was delivered or kept here: nothing is lost in between.
 */
@Singleton
public class FailedNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(FailedNotifications.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    /** One kept notification; {@code body} is exactly what was sent (JSON), re-signed on re-send. */
    @Serdeable
    public record Failed(String id, String channel, String body, int attempts, int lastStatus, String lastError,
                         Instant failedAt, List<String> fingerprints) {
    }

    private final Path dir;
    private final JsonMapper json;

    public FailedNotifications(@Value("${delivery.monitor.failed-dir:data/monitor/failed-notifications}") String dir, JsonMapper json) {
        this.dir = Path.of(dir);
        this.json = json;
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new IllegalStateException("delivery.monitor.failed-dir: cannot create " + this.dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** @throws UncheckedIOException when the disk refuses: the caller must not commit the notification then */
    public void keep(Failed failed) {
        try {
            Path tmp = dir.resolve(failed.id() + ".json.tmp");
            Files.write(tmp, json.writeValueAsBytes(failed));
            try {
                Files.move(tmp, file(failed.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(failed.id()), StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.warn("Notification {} to {} kept as failed ({} attempt(s), {}): list it at GET /v1/notifications/failed",
                    failed.id(), failed.channel(), failed.attempts(), failed.lastError());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep failed notification " + failed.id() + " in " + dir, e);
        }
    }

    public List<Failed> list() {
        List<Failed> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                read(f).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort(Comparator.comparing(Failed::failedAt).reversed());
        return all;
    }

    public Optional<Failed> get(String id) {
        return SAFE_ID.matcher(id).matches() && Files.exists(file(id)) ? read(file(id)) : Optional.empty();
    }

    public void remove(String id) {
        if (!SAFE_ID.matcher(id).matches()) {
            return;
        }
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String id) {
        return dir.resolve(id + ".json");
    }

    private Optional<Failed> read(Path f) {
        try {
            return Optional.of(json.readValue(Files.readAllBytes(f), Failed.class));
        } catch (IOException e) {
            LOG.error("Unreadable failed-notification file {}: {}", f, e.getMessage());
            return Optional.empty();
        }
    }

    static String bodyText(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
