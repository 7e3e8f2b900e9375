package dev.deliverytracker.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.deliverytracker.support.webhook.StandardWebhookSigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executors;

/**
 * The one-machine mode's alert receiver: the monitor's signed webhook channel points here, and every notification
 * is checked (Standard Webhooks signature) and printed in the terminal, one line per alert, as an engineer on call
 * would read it.
 */
final class AlertPrinter implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final byte[] key;
    private final PrintStream out;

    AlertPrinter(String secret, PrintStream out) {
        this.key = StandardWebhookSigner.keyOf(secret);
        this.out = out;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "alert-printer")));
        server.createContext("/alerts", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String id = exchange.getRequestHeaders().getFirst(StandardWebhookSigner.ID);
                String ts = exchange.getRequestHeaders().getFirst(StandardWebhookSigner.TIMESTAMP);
                String sig = exchange.getRequestHeaders().getFirst(StandardWebhookSigner.SIGNATURE);
                boolean valid = id != null && ts != null && sig != null && MessageDigest.isEqual(
                        ("v1," + StandardWebhookSigner.sign(key, id, Long.parseLong(ts), body)).getBytes(StandardCharsets.UTF_8),
                        sig.getBytes(StandardCharsets.UTF_8));
                if (!valid) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                print(JSON.readTree(body));
                exchange.sendResponseHeaders(204, -1);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    private void print(JsonNode body) {
        for (JsonNode alert : body.path("alerts")) {
            String state = alert.path("status").asText().toUpperCase(java.util.Locale.ROOT);
            out.printf("%n[ALERT %s] %s %s: %s%n    %s%n", state, alert.path("labels").path("severity").asText(),
                    alert.path("labels").path("alertname").asText(), alert.path("annotations").path("summary").asText(),
                    alert.path("annotations").path("description").asText());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
