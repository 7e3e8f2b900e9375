package dev.deliverytracker.webhook.poll;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only stand-in for Bizgo's report polling API, speaking its documented wire format: GET returns the oldest
 * unacknowledged batch (the same one until it is deleted), DELETE /{reportId} acknowledges it, both in Bizgo's
 * envelope; a wrong API key gets A001-style 401. It records every call, and can fail the next N acknowledgements.
 */
final class FakeBizgoPollingServer implements AutoCloseable {

    record Batch(String reportId, String reportsJson) {
    }

    private final HttpServer server;
    private final String apiKey;
    private final Deque<Batch> pending = new ArrayDeque<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failAcks = new AtomicInteger();

    FakeBizgoPollingServer(String apiKey) {
        this.apiKey = apiKey;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/comm/v1/report/polling", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void add(String reportId, String reportsJson) {
        pending.add(new Batch(reportId, reportsJson));
    }

    synchronized int pendingBatches() {
        return pending.size();
    }

    List<String> calls() {
        return List.copyOf(calls);
    }

    void failNextAcks(int count) {
        failAcks.set(count);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!apiKey.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                calls.add(method + " unauthorized");
                respond(exchange, 401, envelope("A001", "A001", "Unauthorized", "null"));
                return;
            }
            if ("GET".equals(method)) {
                Batch head;
                synchronized (this) {
                    head = pending.peekFirst();
                }
                calls.add("GET " + (head == null ? "-" : head.reportId()));
                String data = head == null ? "{\"reportId\":\"\",\"report\":null}"
                        : "{\"reportId\":\"" + head.reportId() + "\",\"report\":" + head.reportsJson() + "}";
                respond(exchange, 200, envelope("A000", "A000", "Success", data));
            } else if ("DELETE".equals(method)) {
                String reportId = path.substring(path.lastIndexOf('/') + 1);
                calls.add("DELETE " + reportId);
                if (failAcks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    respond(exchange, 500, envelope("A000", "A910", "Internal error", "null"));
                    return;
                }
                synchronized (this) {
                    Batch head = pending.peekFirst();
                    if (head == null || !head.reportId().equals(reportId)) {
                        respond(exchange, 403, envelope("A000", "A802", "Invalid report ID", "null"));
                        return;
                    }
                    pending.removeFirst();
                }
                respond(exchange, 200, envelope("A000", "A000", "Success", "null"));
            } else {
                respond(exchange, 405, envelope("A000", "A999", "Method not allowed", "null"));
            }
        }
    }

    private static String envelope(String authCode, String code, String result, String data) {
        return "{\"common\":{\"authCode\":\"" + authCode + "\",\"authResult\":\"" + result + "\",\"infobankTrId\":\"tr-1\"},"
                + "\"data\":{\"code\":\"" + code + "\",\"result\":\"" + result + "\",\"data\":" + data + "}}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
