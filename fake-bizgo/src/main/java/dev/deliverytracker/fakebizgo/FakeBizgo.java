package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for Bizgo's servers, for tests and the one-machine mode. It speaks the documented wire format of
 * {@code icomm-api/bizgo-api-spec}: {@code POST /api/comm/v1/send/omni} (raw API key in {@code Authorization}, up to
 * 200 destinations, three-layer answer codes, idempotencyKey with idempotencyTtl or A309, A301 for a repeated key),
 * {@code GET/DELETE /api/comm/v1/report/polling}, {@code GET /api/comm/v1/report/inquiry/{msgKey}}, and report
 * webhooks signed with {@code X-IB-Timestamp} (epoch ms) and {@code X-IB-Signature} (hex HMAC-SHA256 of the timestamp).
 * <p>
 * What happens to each accepted message is a {@link Scenario}, chosen per recipient ({@link #scenario} overrides,
 * else {@link Scenario#byNumber}). Send-level failures (5xx, 429, slow or no answer) are injected with
 * {@link #failNextSends}, {@link #failAfterAcceptingNextSends}, {@link #delayNextSends} and {@link #hangNextSends}.
 * <p>
 * This class is the server and the public face; the parts are {@link SendApi} (the send API and its scripted
 * failures), {@link ReportPlanner} (a scenario's reports in Bizgo's formats), {@link WebhookSender} (signed posts and
 * re-sends) and {@link PollingQueue} (batches handed out until acknowledged).
 */
public final class FakeBizgo implements AutoCloseable {

    public static final String SEND_PATH = "/api/comm/v1/send/omni";
    public static final String POLLING_PATH = "/api/comm/v1/report/polling";
    public static final String INQUIRY_PATH = "/api/comm/v1/report/inquiry/";
    public static final int MAX_DESTINATIONS = 200;

    /** A send request as the fake received it, for tests that check the wire format. */
    public record ReceivedSend(String authorization, JsonNode body, int httpStatus) {
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService reporter;
    private final ExecutorService reportSenders;
    private final String apiKey;
    private final ReportDelivery delivery;
    private final Duration reportDelay;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final SendApi sendApi;
    private final PollingQueue polling = new PollingQueue();
    private final WebhookSender webhooks;
    private final Map<String, List<ObjectNode>> reportsByMsgKey = new ConcurrentHashMap<>();

    private FakeBizgo(Builder builder) {
        this.apiKey = Objects.requireNonNull(builder.apiKey, "apiKey");
        this.delivery = builder.delivery;
        this.reportDelay = builder.reportDelay;
        this.handlers = Executors.newFixedThreadPool(builder.threads, daemon("fake-bizgo-http"));
        this.reporter = Executors.newScheduledThreadPool(1, daemon("fake-bizgo-reports"));
        this.reportSenders = Executors.newFixedThreadPool(4, daemon("fake-bizgo-webhook"));
        this.webhooks = new WebhookSender(delivery, builder.clock, reporter, reportSenders, () -> closed.getCount() > 0);
        this.sendApi = new SendApi(apiKey, builder.clock, new ReportPlanner(builder.clock), new SendApi.ReportSink() {
            @Override
            public void dispatch(List<ObjectNode> reports) {
                reports.forEach(FakeBizgo.this::deliverNow);
            }

            @Override
            public void later(List<ObjectNode> reports) {
                // One task per message, so a message's reports arrive in order (the failed AlimTalk before the SMS).
                reporter.schedule(() -> reportSenders.execute(() -> dispatch(reports)), reportDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }, closed);
        try {
            server = HttpServer.create(new InetSocketAddress(builder.bindAddress, builder.port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("fake Bizgo cannot listen on port " + builder.port, e);
        }
        server.setExecutor(handlers);
        server.createContext(SEND_PATH, exchange -> handle(exchange, sendApi::handle));
        server.createContext(POLLING_PATH, exchange -> handle(exchange, this::polling));
        server.createContext(INQUIRY_PATH, exchange -> handle(exchange, this::inquiry));
        server.start();
    }

    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    /** The base URL, {@code http://127.0.0.1:<port>}, as a Bizgo client is configured with. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What happens to messages for {@code to} (digits only, as sent), overriding the number convention. */
    public void scenario(String to, Scenario scenario) {
        sendApi.scenario(to, scenario);
    }

    /** The scenario for recipients without an override (default: {@link Scenario#byNumber}). */
    public void defaultScenario(Function<String, Scenario> chooser) {
        sendApi.defaultScenario(chooser);
    }

    /** The next {@code count} send requests are refused with {@code httpStatus} and service code {@code code}, unprocessed. */
    public void failNextSends(int count, int httpStatus, String code, String result) {
        sendApi.failNextSends(count, httpStatus, code, result);
    }

    /** The next {@code count} send requests are accepted, but answered 500 A999 (the answer is lost on the way). */
    public void failAfterAcceptingNextSends(int count) {
        sendApi.failAfterAcceptingNextSends(count);
    }

    /** The next {@code count} send requests are answered after {@code delay}. */
    public void delayNextSends(int count, Duration delay) {
        sendApi.delayNextSends(count, delay);
    }

    /** The next {@code count} send requests are never answered (until the fake is closed). */
    public void hangNextSends(int count) {
        sendApi.hangNextSends(count);
    }

    /** The next {@code count} polling acknowledgements (DELETE) fail with 500 A910; the batch stays. */
    public void failNextAcks(int count) {
        polling.failNextAcks(count);
    }

    /**
     * Scripted behaviours not used up yet (failures, delays, hangs, lost answers, failed acknowledgements): a test
     * that scripts more than it triggers leaves them to the next test, which then fails for no reason of its own.
     */
    public int scriptedLeft() {
        return sendApi.scriptedLeft() + polling.scriptedLeft();
    }

    /** Every polling call, in order: {@code GET <reportId>} ({@code GET -} when empty), {@code DELETE <reportId>}. */
    public List<String> pollCalls() {
        return polling.calls();
    }

    /** Every send request received, in order, including refused ones. */
    public List<ReceivedSend> sends() {
        return sendApi.sends();
    }

    public long acceptedMessages() {
        return sendApi.acceptedMessages();
    }

    public long webhooksAcknowledged() {
        return webhooks.acknowledged();
    }

    public long webhooksRefused() {
        return webhooks.refused();
    }

    /** Reports produced so far (in any mode) for {@code msgKey}, in the polling format. */
    public List<JsonNode> reportsFor(String msgKey) {
        return List.copyOf(reportsByMsgKey.getOrDefault(msgKey, List.of()));
    }

    /**
     * Queues one report object for the polling API exactly as given, for reports that do not follow Bizgo's
     * documentation (a number where a string belongs, a field missing): what a consumer must survive.
     */
    public void queueForPolling(ObjectNode report) {
        polling.add(report.deepCopy());
    }

    /** Reports waiting to be polled, including an unacknowledged batch. */
    public int reportsAwaitingPoll() {
        return polling.awaiting();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        reporter.shutdownNow();
        reportSenders.shutdownNow();
        handlers.shutdownNow();
    }

    // --- reports ------------------------------------------------------------------------------------------------

    private void deliverNow(ObjectNode report) {
        reportsByMsgKey.computeIfAbsent(report.get("msgKey").asText(), k -> new CopyOnWriteArrayList<>())
                .add(ReportPlanner.pollingForm(report));
        if (delivery.isWebhook()) {
            webhooks.post(report);
        } else {
            polling.add(ReportPlanner.pollingForm(report));
        }
    }

    /** Bizgo's webhook signature: hex HMAC-SHA256 over the X-IB-Timestamp value, keyed by the webhook secret. */
    public static String sign(String secret, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(timestamp.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private BizgoAnswer polling(HttpExchange exchange) {
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return BizgoAnswer.unauthorized();
        }
        if (delivery.isWebhook()) {
            return new BizgoAnswer(400, BizgoJson.service("A801", "No permission to POLLING API", null));
        }
        String path = exchange.getRequestURI().getPath();
        return switch (exchange.getRequestMethod()) {
            case "GET" -> polling.get();
            case "DELETE" -> polling.delete(path.substring(path.lastIndexOf('/') + 1));
            default -> BizgoAnswer.methodNotAllowed();
        };
    }

    private BizgoAnswer inquiry(HttpExchange exchange) {
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return BizgoAnswer.unauthorized();
        }
        String path = exchange.getRequestURI().getPath();
        String msgKey = path.substring(INQUIRY_PATH.length());
        ObjectNode data = BizgoJson.object();
        ArrayNode reports = data.putArray("report");
        reportsByMsgKey.getOrDefault(msgKey, List.of()).forEach(reports::add);
        return new BizgoAnswer(200, BizgoJson.service("A000", "Success", data));
    }

    // --- plumbing -----------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Handler {
        BizgoAnswer handle(HttpExchange exchange) throws IOException;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            BizgoAnswer answer = handler.handle(exchange);
            if (answer == null) {
                return;
            }
            byte[] bytes = BizgoJson.MAPPER.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Options of a fake Bizgo. */
    public static final class Builder {
        private final String apiKey;
        private int port;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private ReportDelivery delivery = ReportDelivery.polling();
        private Duration reportDelay = Duration.ofMillis(50);
        private int threads = 16;
        private Clock clock = Clock.systemUTC();

        private Builder(String apiKey) {
            this.apiKey = apiKey;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder reports(ReportDelivery delivery) {
            this.delivery = Objects.requireNonNull(delivery);
            return this;
        }

        /** How long after accepting a message its reports are produced. */
        public Builder reportDelay(Duration delay) {
            this.reportDelay = Objects.requireNonNull(delay);
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public FakeBizgo start() {
            return new FakeBizgo(this);
        }
    }
}
