package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Bizgo's send API ({@code POST /api/comm/v1/send/omni}): the raw API key, up to 200 destinations, the flow checked
 * item by item, the three answer layers, an idempotencyKey with its idempotencyTtl (A308/A309) remembered per key, so
 * a repeated key answers A301 with the first msgKeys. Each accepted destination gets its {@link Scenario}, whose
 * reports it hands to {@link ReportSink}. Send-level failures are scripted here.
 */
final class SendApi {

    private static final DateTimeFormatter MSG_KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneId.of("Asia/Seoul"));

    /** Where an accepted message's reports go. */
    interface ReportSink {
        /** Now, before the send is answered (the report-before-answer scenario). */
        void dispatch(List<ObjectNode> reports);

        /** After the report delay, in order (the failed AlimTalk before the SMS). */
        void later(List<ObjectNode> reports);
    }

    private record Injected(int httpStatus, String code, String result) {
    }

    private record Remembered(Instant expires, Map<String, String> msgKeyByTo) {
    }

    private final String apiKey;
    private final Clock clock;
    private final ReportPlanner planner;
    private final ReportSink reports;
    private final CountDownLatch closed;
    private final Map<String, Scenario> scenarios = new ConcurrentHashMap<>();
    private final AtomicReference<Function<String, Scenario>> defaultScenario = new AtomicReference<>(Scenario::byNumber);
    private final Map<String, Remembered> idempotency = new ConcurrentHashMap<>();
    private final List<FakeBizgo.ReceivedSend> sends = new CopyOnWriteArrayList<>();
    private final Deque<Injected> injectedFailures = new ConcurrentLinkedDeque<>();
    private final AtomicInteger failAfterAccepting = new AtomicInteger();
    private final AtomicInteger slowSends = new AtomicInteger();
    private volatile Duration slowBy = Duration.ZERO;
    private final AtomicInteger hangingSends = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong acceptedMessages = new AtomicLong();

    /** @param closed counted down when the fake closes: a hanging or slow answer ends then */
    SendApi(String apiKey, Clock clock, ReportPlanner planner, ReportSink reports, CountDownLatch closed) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.clock = clock;
        this.planner = planner;
        this.reports = reports;
        this.closed = closed;
    }

    void scenario(String to, Scenario scenario) {
        scenarios.put(to, scenario);
    }

    void defaultScenario(Function<String, Scenario> chooser) {
        defaultScenario.set(Objects.requireNonNull(chooser));
    }

    void failNextSends(int count, int httpStatus, String code, String result) {
        for (int i = 0; i < count; i++) {
            injectedFailures.add(new Injected(httpStatus, code, result));
        }
    }

    void failAfterAcceptingNextSends(int count) {
        failAfterAccepting.set(count);
    }

    void delayNextSends(int count, Duration delay) {
        slowBy = delay;
        slowSends.set(count);
    }

    void hangNextSends(int count) {
        hangingSends.set(count);
    }

    int scriptedLeft() {
        return injectedFailures.size() + Math.max(0, failAfterAccepting.get()) + Math.max(0, slowSends.get())
                + Math.max(0, hangingSends.get());
    }

    List<FakeBizgo.ReceivedSend> sends() {
        return List.copyOf(sends);
    }

    long acceptedMessages() {
        return acceptedMessages.get();
    }

    BizgoAnswer handle(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            return BizgoAnswer.methodNotAllowed();
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = BizgoJson.MAPPER.readTree(in);
        } catch (IOException e) {
            body = null;
        }
        BizgoAnswer answer = decide(authorization, body);
        sends.add(new FakeBizgo.ReceivedSend(authorization, body, answer.status()));
        if (hangingSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            awaitClose(Duration.ofMinutes(5));
            return null;
        }
        if (slowSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            awaitClose(slowBy);
        }
        return answer;
    }

    private BizgoAnswer decide(String authorization, JsonNode body) {
        if (!apiKey.equals(authorization)) {
            return BizgoAnswer.unauthorized();
        }
        Injected injected = injectedFailures.poll();
        if (injected != null) {
            return new BizgoAnswer(injected.httpStatus(), BizgoJson.service(injected.code(), injected.result(), null));
        }
        if (body == null || !body.isObject()) {
            return new BizgoAnswer(400, BizgoJson.service("A010", "Cannot parse JSON", null));
        }
        JsonNode destinations = body.path("destinations");
        JsonNode flow = body.path("messageFlow");
        if (!destinations.isArray() || destinations.isEmpty()) {
            return new BizgoAnswer(400, BizgoJson.service("A307", "destinations[].to is required", null));
        }
        if (destinations.size() > FakeBizgo.MAX_DESTINATIONS) {
            return new BizgoAnswer(400, BizgoJson.service("A318", "Too many destinations (max 200)", null));
        }
        if (!flow.isArray() || flow.isEmpty()) {
            return new BizgoAnswer(400, BizgoJson.service("A300", "messageFlow is required", null));
        }
        String flowError = checkFlow(flow);
        if (flowError != null) {
            return new BizgoAnswer(400, BizgoJson.service(flowError.substring(0, 4), flowError.substring(5), null));
        }
        String idempotencyKey = body.path("idempotencyKey").isTextual() ? body.get("idempotencyKey").asText() : null;
        Remembered remembered = null;
        if (idempotencyKey != null) {
            if (idempotencyKey.isEmpty() || idempotencyKey.length() > 200) {
                return new BizgoAnswer(400, BizgoJson.service("A308", "Invalid idempotencyKey", null));
            }
            JsonNode ttl = body.path("idempotencyTtl");
            if (!ttl.canConvertToLong() || ttl.asLong() < 0 || ttl.asLong() > 86_400) {
                return new BizgoAnswer(400, BizgoJson.service("A309", "Invalid idempotencyTtl", null));
            }
            Instant now = clock.instant();
            remembered = idempotency.compute(idempotencyKey, (k, old) -> old != null && old.expires().isAfter(now) ? old : null);
            if (remembered == null) {
                remembered = new Remembered(now.plusSeconds(ttl.asLong()), new ConcurrentHashMap<>());
                idempotency.put(idempotencyKey, remembered);
            } else {
                return new BizgoAnswer(200, duplicate(destinations, remembered, body));
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
            List<ObjectNode> reports = planner.plan(scenario, msgKey, channels, ref);
            if (scenario.kind() == Scenario.Kind.REPORTED_BEFORE_ANSWER) {
                beforeAnswer.add(() -> this.reports.dispatch(reports));
            } else {
                this.reports.later(reports);
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
            return new BizgoAnswer(500, BizgoJson.service("A999", "Unknown error", null));
        }
        return new BizgoAnswer(200, answer);
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

    private static ObjectNode duplicate(JsonNode destinations, Remembered remembered, JsonNode body) {
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

    private void awaitClose(Duration duration) {
        try {
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
