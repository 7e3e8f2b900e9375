package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 */
public final class FakeBizgo implements AutoCloseable {

    public static final String SEND_PATH = "/api/comm/v1/send/omni";
    public static final String POLLING_PATH = "/api/comm/v1/report/polling";
    public static final String INQUIRY_PATH = "/api/comm/v1/report/inquiry/";
    public static final int MAX_DESTINATIONS = 200;

    private static final ZoneId KST = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter WEBHOOK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(KST);
    private static final DateTimeFormatter POLL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(KST);
    private static final DateTimeFormatter MSG_KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(KST);

    /** A send request as the fake received it, for tests that check the wire format. */
    public record ReceivedSend(String authorization, JsonNode body, int httpStatus) {
    }

    private record Injected(int httpStatus, String code, String result) {
    }

    private record Remembered(Instant expires, Map<String, String> msgKeyByTo) {
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService reporter;
    private final ExecutorService webhookSenders;
    private final HttpClient webhookClient;
    private final String apiKey;
    private final ReportDelivery delivery;
    private final Duration reportDelay;
    private final Clock clock;

    private final Map<String, Scenario> scenarios = new ConcurrentHashMap<>();
    private final AtomicReference<Function<String, Scenario>> defaultScenario = new AtomicReference<>(Scenario::byNumber);
    private final Map<String, Remembered> idempotency = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> reportsByMsgKey = new ConcurrentHashMap<>();
    private final Deque<ObjectNode> pollQueue = new ArrayDeque<>();
    private String pollBatchId;
    private List<ObjectNode> pollBatch;
    private final List<ReceivedSend> sends = new CopyOnWriteArrayList<>();
    private final List<String> pollCalls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failAcks = new AtomicInteger();
    private final Deque<Injected> injectedFailures = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final AtomicInteger failAfterAccepting = new AtomicInteger();
    private final AtomicInteger slowSends = new AtomicInteger();
    private volatile Duration slowBy = Duration.ZERO;
    private final AtomicInteger hangingSends = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong acceptedMessages = new AtomicLong();
    private final AtomicLong webhooksAcknowledged = new AtomicLong();
    private final AtomicLong webhooksRefused = new AtomicLong();

    private FakeBizgo(Builder builder) {
        this.apiKey = Objects.requireNonNull(builder.apiKey, "apiKey");
        this.delivery = builder.delivery;
        this.reportDelay = builder.reportDelay;
        this.clock = builder.clock;
        this.handlers = Executors.newFixedThreadPool(builder.threads, daemon("fake-bizgo-http"));
        this.reporter = Executors.newScheduledThreadPool(1, daemon("fake-bizgo-reports"));
        this.webhookSenders = Executors.newFixedThreadPool(4, daemon("fake-bizgo-webhook"));
        this.webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            server = HttpServer.create(new InetSocketAddress(builder.bindAddress, builder.port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("fake Bizgo cannot listen on port " + builder.port, e);
        }
        server.setExecutor(handlers);
        server.createContext(SEND_PATH, exchange -> handle(exchange, this::send));
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
        scenarios.put(to, scenario);
    }

    /** The scenario for recipients without an override (default: {@link Scenario#byNumber}). */
    public void defaultScenario(Function<String, Scenario> chooser) {
        defaultScenario.set(Objects.requireNonNull(chooser));
    }

    /** The next {@code count} send requests are refused with {@code httpStatus} and service code {@code code}, unprocessed. */
    public void failNextSends(int count, int httpStatus, String code, String result) {
        for (int i = 0; i < count; i++) {
            injectedFailures.add(new Injected(httpStatus, code, result));
        }
    }

    /** The next {@code count} send requests are accepted, but answered 500 A999 (the answer is lost on the way). */
    public void failAfterAcceptingNextSends(int count) {
        failAfterAccepting.set(count);
    }

    /** The next {@code count} send requests are answered after {@code delay}. */
    public void delayNextSends(int count, Duration delay) {
        slowBy = delay;
        slowSends.set(count);
    }

    /** The next {@code count} send requests are never answered (until the fake is closed). */
    public void hangNextSends(int count) {
        hangingSends.set(count);
    }

    /** The next {@code count} polling acknowledgements (DELETE) fail with 500 A910; the batch stays. */
    public void failNextAcks(int count) {
        failAcks.set(count);
    }

    /**
     * Scripted behaviours not used up yet (failures, delays, hangs, lost answers, failed acknowledgements): a test
     * that scripts more than it triggers leaves them to the next test, which then fails for no reason of its own.
     */
    public int scriptedLeft() {
        return injectedFailures.size() + Math.max(0, failAfterAccepting.get()) + Math.max(0, slowSends.get())
                + Math.max(0, hangingSends.get()) + Math.max(0, failAcks.get());
    }

    /** Every polling call, in order: {@code GET <reportId>} ({@code GET -} when empty), {@code DELETE <reportId>}. */
    public List<String> pollCalls() {
        return List.copyOf(pollCalls);
    }

    /** Every send request received, in order, including refused ones. */
    public List<ReceivedSend> sends() {
        return List.copyOf(sends);
    }

    public long acceptedMessages() {
        return acceptedMessages.get();
    }

    public long webhooksAcknowledged() {
        return webhooksAcknowledged.get();
    }

    public long webhooksRefused() {
        return webhooksRefused.get();
    }

    /** Reports produced so far (in any mode) for {@code msgKey}, in the polling format. */
    public List<JsonNode> reportsFor(String msgKey) {
        return List.copyOf(reportsByMsgKey.getOrDefault(msgKey, List.of()));
    }

    /**
     * Queues one report object for the polling API exactly as given, for reports that do not follow Bizgo's
     * documentation (a number where a string belongs, a field missing): what a consumer must survive.
     */
    public synchronized void queueForPolling(ObjectNode report) {
        pollQueue.add(report.deepCopy());
    }

    /** Reports waiting to be polled, including an unacknowledged batch. */
    public synchronized int reportsAwaitingPoll() {
        return pollQueue.size() + (pollBatch == null ? 0 : pollBatch.size());
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        reporter.shutdownNow();
        webhookSenders.shutdownNow();
        handlers.shutdownNow();
    }

    // --- send ---------------------------------------------------------------------------------------------------

    private Answer send(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            return new Answer(405, BizgoJson.gatewayFailure("A405", "Method Not Allowed"));
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = BizgoJson.MAPPER.readTree(in);
        } catch (IOException e) {
            body = null;
        }
        Answer answer = decideSend(authorization, body);
        sends.add(new ReceivedSend(authorization, body, answer.status()));
        if (hangingSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            awaitClose(Duration.ofMinutes(5));
            return null;
        }
        if (slowSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            awaitClose(slowBy);
        }
        return answer;
    }

    private Answer decideSend(String authorization, JsonNode body) {
        if (!apiKey.equals(authorization)) {
            return new Answer(401, BizgoJson.gatewayFailure("A401", "Unauthorized"));
        }
        Injected injected = injectedFailures.poll();
        if (injected != null) {
            return new Answer(injected.httpStatus(), BizgoJson.service(injected.code(), injected.result(), null));
        }
        if (body == null || !body.isObject()) {
            return new Answer(400, BizgoJson.service("A010", "Cannot parse JSON", null));
        }
        JsonNode destinations = body.path("destinations");
        JsonNode flow = body.path("messageFlow");
        if (!destinations.isArray() || destinations.isEmpty()) {
            return new Answer(400, BizgoJson.service("A307", "destinations[].to is required", null));
        }
        if (destinations.size() > MAX_DESTINATIONS) {
            return new Answer(400, BizgoJson.service("A318", "Too many destinations (max 200)", null));
        }
        if (!flow.isArray() || flow.isEmpty()) {
            return new Answer(400, BizgoJson.service("A300", "messageFlow is required", null));
        }
        String flowError = checkFlow(flow);
        if (flowError != null) {
            return new Answer(400, BizgoJson.service(flowError.substring(0, 4), flowError.substring(5), null));
        }
        String idempotencyKey = body.path("idempotencyKey").isTextual() ? body.get("idempotencyKey").asText() : null;
        Remembered remembered = null;
        if (idempotencyKey != null) {
            if (idempotencyKey.isEmpty() || idempotencyKey.length() > 200) {
                return new Answer(400, BizgoJson.service("A308", "Invalid idempotencyKey", null));
            }
            JsonNode ttl = body.path("idempotencyTtl");
            if (!ttl.canConvertToLong() || ttl.asLong() < 0 || ttl.asLong() > 86_400) {
                return new Answer(400, BizgoJson.service("A309", "Invalid idempotencyTtl", null));
            }
            Instant now = clock.instant();
            remembered = idempotency.compute(idempotencyKey, (k, old) -> old != null && old.expires().isAfter(now) ? old : null);
            if (remembered == null) {
                remembered = new Remembered(now.plusSeconds(ttl.asLong()), new ConcurrentHashMap<>());
                idempotency.put(idempotencyKey, remembered);
            } else {
                return new Answer(200, duplicate(destinations, remembered, body));
            }
        }
        List<String> channels = new ArrayList<>();
        flow.forEach(item -> channels.add(item.fieldNames().next()));
        ArrayNode results = BizgoJson.array();
        List<Runnable> beforeAnswer = new ArrayList<>();
        String requestId = MSG_KEY_TIME.format(clock.instant()) + "FAKE" + String.format("%08d", sequence.incrementAndGet() % 100_000_000);
        int index = 0;
        for (JsonNode destination : destinations) {
            ObjectNode result = results.addObject();
            String to = destination.path("to").asText("");
            result.put("to", to);
            if (!to.matches("[0-9]{9,15}")) {
                result.put("code", "A306");
                result.put("result", "Invalid to");
                continue;
            }
            String msgKey = requestId + String.format("%03d", index++);
            result.put("msgKey", msgKey);
            result.put("code", "A000");
            result.put("result", "Success");
            if (remembered != null) {
                remembered.msgKeyByTo().put(to, msgKey);
            }
            acceptedMessages.incrementAndGet();
            String ref = destination.path("ref").isTextual() ? destination.get("ref").asText() : body.path("ref").asText(null);
            Scenario scenario = scenarios.getOrDefault(to, defaultScenario.get().apply(to));
            List<ObjectNode> reports = plannedReports(scenario, msgKey, channels, ref);
            if (scenario.kind() == Scenario.Kind.REPORTED_BEFORE_ANSWER) {
                beforeAnswer.add(() -> reports.forEach(this::deliverNow));
            } else {
                // One task per message, so a message's reports arrive in order (the failed AlimTalk before the SMS).
                reporter.schedule(() -> webhookSenders.execute(() -> reports.forEach(this::deliverNow)),
                        reportDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        beforeAnswer.forEach(Runnable::run);
        ObjectNode data = BizgoJson.object();
        data.set("destinations", results);
        ObjectNode answer = BizgoJson.service("A000", "Success", data);
        if (body.hasNonNull("ref")) {
            ((ObjectNode) answer.get("data")).put("ref", body.get("ref").asText());
        }
        if (failAfterAccepting.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new Answer(500, BizgoJson.service("A999", "Unknown error", null));
        }
        return new Answer(200, answer);
    }

    private static String checkFlow(JsonNode flow) {
        for (JsonNode item : flow) {
            if (!item.isObject() || item.size() != 1) {
                return "A312 Each messageFlow item holds exactly one channel";
            }
            String channel = item.fieldNames().next();
            JsonNode message = item.get(channel);
            switch (channel) {
                case "alimtalk" -> {
                    if (!message.hasNonNull("senderKey")) {
                        return "A502 Invalid senderKey";
                    }
                    if (!message.hasNonNull("templateCode")) {
                        return "A505 Invalid templateCode";
                    }
                    if (!message.hasNonNull("msgType")) {
                        return "A523 Invalid msgType";
                    }
                    if (!message.hasNonNull("text")) {
                        return "A303 Invalid text";
                    }
                }
                case "sms", "mms" -> {
                    if (!message.hasNonNull("from")) {
                        return "A302 Invalid from";
                    }
                    if (!message.hasNonNull("text")) {
                        return "A303 Invalid text";
                    }
                }
                default -> {
                    return "A219 Invalid serviceType";
                }
            }
        }
        return null;
    }

    private ObjectNode duplicate(JsonNode destinations, Remembered remembered, JsonNode body) {
        ArrayNode results = BizgoJson.array();
        for (JsonNode destination : destinations) {
            ObjectNode result = results.addObject();
            String to = destination.path("to").asText("");
            result.put("to", to);
            String msgKey = remembered.msgKeyByTo().get(to);
            if (msgKey != null) {
                result.put("msgKey", msgKey);
            }
            result.put("code", "A301");
            result.put("result", "Duplicate idempotencyKey");
        }
        ObjectNode data = BizgoJson.object();
        data.set("destinations", results);
        ObjectNode answer = BizgoJson.service("A000", "Success", data);
        if (body.hasNonNull("ref")) {
            ((ObjectNode) answer.get("data")).put("ref", body.get("ref").asText());
        }
        return answer;
    }

    private List<ObjectNode> plannedReports(Scenario scenario, String msgKey, List<String> channels, String ref) {
        List<ObjectNode> reports = new ArrayList<>();
        for (Scenario.PlannedReport planned : scenario.plan(channels.size())) {
            String channel = channels.get(planned.channelIndex());
            Instant now = clock.instant();
            ObjectNode report = BizgoJson.object();
            report.put("msgKey", msgKey);
            report.put("serviceType", switch (channel) {
                case "alimtalk" -> "ALIMTALK";
                case "mms" -> "MMS";
                default -> "SMS";
            });
            report.put("msgType", switch (channel) {
                case "alimtalk" -> "AT";
                case "mms" -> "LM";
                default -> "SM";
            });
            report.put("sendTime", WEBHOOK_TIME.format(now));
            report.put("reportTime", WEBHOOK_TIME.format(now));
            report.put("reportType", "RP");
            report.put("reportCode", planned.code());
            report.put("reportText", Scenario.DELIVERED_CODE.equals(planned.code()) ? "Success" : "Failure " + planned.code());
            if (!"alimtalk".equals(channel)) {
                report.put("carrier", "SKT");
            }
            if (ref != null) {
                report.put("ref", ref);
            }
            reports.add(report);
        }
        return reports;
    }

    // --- reports ------------------------------------------------------------------------------------------------

    private void deliverNow(ObjectNode report) {
        String msgKey = report.get("msgKey").asText();
        ObjectNode stored = report.deepCopy();
        stored.put("sendTime", POLL_TIME.format(WEBHOOK_TIME.parse(report.get("sendTime").asText(), Instant::from)));
        stored.put("reportTime", POLL_TIME.format(WEBHOOK_TIME.parse(report.get("reportTime").asText(), Instant::from)));
        reportsByMsgKey.computeIfAbsent(msgKey, k -> new CopyOnWriteArrayList<>()).add(stored);
        if (delivery.isWebhook()) {
            if (closed.getCount() > 0) {
                postWebhook(report, 0);
            }
        } else {
            synchronized (this) {
                pollQueue.add(stored);
            }
        }
    }

    private void postWebhook(ObjectNode report, int attempt) {
        String timestamp = Long.toString(clock.millis());
        HttpRequest request = HttpRequest.newBuilder(delivery.webhookUrl())
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("X-IB-Timestamp", timestamp)
                .header("X-IB-Signature", sign(delivery.webhookSecret(), timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(report.toString()))
                .build();
        String msgKey = report.get("msgKey").asText();
        boolean acknowledged;
        try {
            HttpResponse<String> response = webhookClient.send(request, HttpResponse.BodyHandlers.ofString());
            acknowledged = response.statusCode() == 200 && msgKey.equals(BizgoJson.MAPPER.readTree(response.body()).path("msgKey").asText());
        } catch (IOException e) {
            acknowledged = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (acknowledged) {
            webhooksAcknowledged.incrementAndGet();
        } else if (delivery.resends().allows(attempt) && closed.getCount() > 0) {
            reporter.schedule(() -> webhookSenders.execute(() -> postWebhook(report, attempt + 1)),
                    delivery.resends().pause(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } else {
            webhooksRefused.incrementAndGet();
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

    private Answer polling(HttpExchange exchange) {
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return new Answer(401, BizgoJson.gatewayFailure("A401", "Unauthorized"));
        }
        if (delivery.isWebhook()) {
            return new Answer(400, BizgoJson.service("A801", "No permission to POLLING API", null));
        }
        String path = exchange.getRequestURI().getPath();
        synchronized (this) {
            if ("GET".equals(exchange.getRequestMethod())) {
                if (pollBatch == null && !pollQueue.isEmpty()) {
                    pollBatch = new ArrayList<>();
                    while (pollBatch.size() < 100 && !pollQueue.isEmpty()) {
                        pollBatch.add(pollQueue.poll());
                    }
                    pollBatchId = "RPT" + sequence.incrementAndGet();
                }
                pollCalls.add("GET " + (pollBatch == null ? "-" : pollBatchId));
                ObjectNode data = BizgoJson.object();
                data.put("reportId", pollBatch == null ? "" : pollBatchId);
                if (pollBatch == null) {
                    data.putNull("report");
                } else {
                    pollBatch.forEach(data.putArray("report")::add);
                }
                return new Answer(200, BizgoJson.service("A000", "Success", data));
            }
            if ("DELETE".equals(exchange.getRequestMethod())) {
                String reportId = path.substring(path.lastIndexOf('/') + 1);
                pollCalls.add("DELETE " + reportId);
                if (failAcks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return new Answer(500, BizgoJson.service("A910", "Internal error", null));
                }
                if (pollBatch == null || !reportId.equals(pollBatchId)) {
                    return new Answer(403, BizgoJson.service("A802", "Invalid report ID", null));
                }
                pollBatch = null;
                pollBatchId = null;
                return new Answer(200, BizgoJson.service("A000", "Success", null));
            }
        }
        return new Answer(405, BizgoJson.gatewayFailure("A405", "Method Not Allowed"));
    }

    private Answer inquiry(HttpExchange exchange) {
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return new Answer(401, BizgoJson.gatewayFailure("A401", "Unauthorized"));
        }
        String path = exchange.getRequestURI().getPath();
        String msgKey = path.substring(INQUIRY_PATH.length());
        ObjectNode data = BizgoJson.object();
        ArrayNode reports = data.putArray("report");
        reportsByMsgKey.getOrDefault(msgKey, List.of()).forEach(reports::add);
        return new Answer(200, BizgoJson.service("A000", "Success", data));
    }

    // --- plumbing -----------------------------------------------------------------------------------------------

    private record Answer(int status, JsonNode body) {
    }

    @FunctionalInterface
    private interface Handler {
        Answer handle(HttpExchange exchange) throws IOException;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            Answer answer = handler.handle(exchange);
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

    private void awaitClose(Duration duration) {
        try {
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
