package dev.deliverytracker.monitor.app;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}; {@code .ci/run} installs it) on a
 * free loopback port, with the configuration docker-compose ships ({@code deploy/alertmanager/alertmanager.yml}) and
 * clustering off. Where the binary is absent the calling test is skipped with the reason.
 */
final class AlertmanagerProcess implements AutoCloseable {

    private static final Path CONFIG = Path.of("..").toAbsolutePath().normalize().resolve("deploy/alertmanager/alertmanager.yml");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private AlertmanagerProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    static AlertmanagerProcess start(Path dir) throws Exception {
        Optional<Path> binary = Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .flatMap(d -> List.of(Path.of(d, "prometheus-alertmanager"), Path.of(d, "alertmanager")).stream())
                .filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(binary.isPresent(), "Alertmanager is not installed (Debian package prometheus-alertmanager;"
                + " .ci/run installs it)");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("alertmanager.log");
        Process process = new ProcessBuilder(binary.get().toString(), "--config.file=" + CONFIG,
                "--storage.path=" + dir.resolve("alertmanager-data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerProcess alertmanager = new AlertmanagerProcess(process, "http://127.0.0.1:" + port, log);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || alertmanager.ready());
        } catch (ConditionTimeoutException e) {
            // reported below with Alertmanager's own log
        }
        if (!alertmanager.ready()) {
            alertmanager.close();
            throw new IllegalStateException("Alertmanager did not become ready:\n" + Files.readString(log));
        }
        return alertmanager;
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String url() {
        return url;
    }

    /** GET /api/v2/alerts: the alerts Alertmanager holds as active (resolved ones are left out). */
    String alerts() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** POST /api/v2/alerts, as Prometheus does. */
    void post(String alertsJson) throws Exception {
        int status = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts")).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alertsJson)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
            throw new IllegalStateException("Alertmanager answered " + status + " to a posted alert");
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
