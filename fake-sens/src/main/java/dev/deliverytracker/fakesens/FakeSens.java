package dev.deliverytracker.fakesens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A stand-in for NCP SENS's AlimTalk API (api.ncloud-docs.com, SENS > AlimTalk v2), for tests and the one-machine
 * mode; never for production. It checks NCP's request signature (its own implementation of the documented rule, so
 * a mistake in ours shows), accepts {@code POST /alimtalk/v2/services/{serviceId}/messages} (at most 100 messages,
 * answered 202 with a requestId and a messageId each), and serves what happened through
 * {@code GET .../messages?requestId=} (paged by {@code nextToken}) and {@code GET .../messages/{messageId}}: each
 * message "processing" (no messageStatusCode yet) for {@code processing}, then its {@link SensScenario}'s result, and
 * gone once older than {@code retention} (an empty-body 404, as SENS answers when it has no records). Paging by
 * {@code nextToken}/{@code pageSize} and the error body ({@code {"error":{errorCode,message,details}}}) follow what
 * public SENS clients use; SENS's pages do not show them. Faults can be scripted. The SMS v2 API is served too, at
 * {@code /sms/v2/services/{smsServiceId}/messages}: a send answers a requestId only (no messageId, as documented), the
 * list by requestId names each messageId and {@code to}, and {@code .../messages/{messageId}} its {@code status}
 * (PROCESSING, then COMPLETED), {@code statusCode} ("0" delivered) and {@code statusName}.
 */
public final class FakeSens implements AutoCloseable {

    public static final int MAX_MESSAGES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SENS's result times: Korea's local time, {@code requestTime} with milliseconds, {@code completeTime} without. */
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneId.of("Asia/Seoul"));
    private static final DateTimeFormatter COMPLETE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneId.of("Asia/Seoul"));
    private static final long MAX_CLOCK_SKEW_MS = Duration.ofMinutes(5).toMillis();

    /** One accepted message and its fate. */
    private record Message(String requestId, String messageId, String to, String content, String templateCode, String plusFriendId,
                           boolean useSmsFailover, String failoverType, Instant acceptedAt, SensScenario scenario) {
    }

    private record Fault(int status, int[] left) {
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final String accessKey;
    private final byte[] secretKey;
    private final String serviceId;
    private final Clock clock;
    private final Duration processing;
    private final Duration retention;
    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    /** SMS v2 messages by messageId, and each SMS request's messageIds. */
    private final Map<String, Message> smsMessages = new ConcurrentHashMap<>();
    private final Map<String, List<String>> smsRequests = new ConcurrentHashMap<>();
    private final Map<String, List<String>> requests = new ConcurrentHashMap<>();
    private final Map<String, SensScenario> scenarios = new ConcurrentHashMap<>();
    private final Map<String, String[]> refusals = new ConcurrentHashMap<>();
    private final java.util.Set<String> broken = ConcurrentHashMap.newKeySet();
    private volatile Function<String, SensScenario> defaultScenario = SensScenario::byNumber;
    private final AtomicInteger failSends = new AtomicInteger();
    private volatile int failSendStatus;
    private final AtomicInteger failResults = new AtomicInteger();
    private volatile int failResultStatus;
    private final AtomicInteger malformedResults = new AtomicInteger();
    private final AtomicLong resultCalls = new AtomicLong();
    private final AtomicLong sendCalls = new AtomicLong();
    private final AtomicLong refusedSignatures = new AtomicLong();
    private final List<JsonNode> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FakeSens(Builder builder) {
        this.accessKey = Objects.requireNonNull(builder.accessKey);
        this.secretKey = Objects.requireNonNull(builder.secretKey).getBytes(StandardCharsets.UTF_8);
        this.serviceId = Objects.requireNonNull(builder.serviceId);
        this.clock = builder.clock;
        this.processing = builder.processing;
        this.retention = builder.retention;
        this.handlers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-sens-http");
            t.setDaemon(true);
            return t;
        });
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", builder.port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("fake SENS cannot listen on port " + builder.port, e);
        }
        server.setExecutor(handlers);
        server.createContext("/alimtalk/v2/services/", this::handle);
        server.createContext("/sms/v2/services/", this::handle);
        server.start();
    }

    public static Builder builder(String accessKey, String secretKey, String serviceId) {
        return new Builder(accessKey, secretKey, serviceId);
    }

    /** {@code http://127.0.0.1:<port>}, as a SENS client's base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String serviceId() {
        return serviceId;
    }

    /** The story of every message to {@code to} (digits as sent), instead of the number convention. */
    public void scenario(String to, SensScenario scenario) {
        scenarios.put(to.replaceAll("[^0-9]", ""), scenario);
    }

    /** Messages to {@code to} are refused in the send answer with {@code requestStatusCode} {@code code}. */
    public void refuse(String to, String code, String description) {
        refusals.put(to.replaceAll("[^0-9]", ""), new String[] {code, description});
    }

    /** The final result of messages to {@code to} is shown broken: "fail" without a messageStatusCode. */
    public void breakResultOf(String to) {
        broken.add(to.replaceAll("[^0-9]", ""));
    }

    public void defaultScenario(Function<String, SensScenario> chooser) {
        defaultScenario = Objects.requireNonNull(chooser);
    }

    /** The next {@code count} sends are answered {@code httpStatus} (429, 500, 401 ...) without taking anything. */
    public void failNextSends(int count, int httpStatus) {
        failSendStatus = httpStatus;
        failSends.set(count);
    }

    /** The next {@code count} result calls are answered {@code httpStatus} (429: rate limited; 500; 503). */
    public void failNextResultCalls(int count, int httpStatus) {
        failResultStatus = httpStatus;
        failResults.set(count);
    }

    /** The next {@code count} result calls are answered 200 with a body that is not SENS's shape. */
    public void malformNextResultCalls(int count) {
        malformedResults.set(count);
    }

    /** Result calls answered so far (for the polling cost). */
    public long resultCalls() {
        return resultCalls.get();
    }

    /** The bodies of the sends that got past the signature and the scripted faults, in order. */
    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    public long sendCalls() {
        return sendCalls.get();
    }

    public long refusedSignatures() {
        return refusedSignatures.get();
    }

    /** Messages accepted so far. */
    public int acceptedMessages() {
        return messages.size();
    }

    /** When the result of {@code messageId} became final (null while processing, unknown or forever processing). */
    public Instant resultTime(String messageId) {
        Message m = messages.get(messageId);
        return m == null || m.scenario().kind() == SensScenario.Kind.PROCESSING ? null : m.acceptedAt().plus(processing);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            route(exchange);
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        try {
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String signed = rawPath + (rawQuery == null ? "" : "?" + rawQuery);
            if (!signatureValid(exchange, signed)) {
                refusedSignatures.incrementAndGet();
                answer(exchange, 401, error("200", "Authentication Failed", "Invalid authentication information."));
                return;
            }
            String smsPrefix = "/sms/v2/services/" + SMS_SERVICE + "/messages";
            if (rawPath.startsWith(smsPrefix)) {
                sms(exchange, rawPath.substring(smsPrefix.length()), rawQuery);
                return;
            }
            String prefix = "/alimtalk/v2/services/" + serviceId + "/messages";
            if (!rawPath.startsWith(prefix)) {
                answer(exchange, 404, error("404", "Not Found", "No such service"));
                return;
            }
            String rest = rawPath.substring(prefix.length());
            if (exchange.getRequestMethod().equals("POST") && rest.isEmpty()) {
                send(exchange);
            } else if (exchange.getRequestMethod().equals("GET") && rest.isEmpty()) {
                list(exchange, query(rawQuery));
            } else if (exchange.getRequestMethod().equals("GET") && rest.startsWith("/") && rest.length() > 1) {
                one(exchange, URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8));
            } else {
                answer(exchange, 405, error("405", "Method Not Allowed", exchange.getRequestMethod() + " " + rawPath));
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, error("500", "Internal Server Error", e.getClass().getSimpleName()));
        }
    }

    /** The SMS project's service id this fake answers for. */
    public static final String SMS_SERVICE = "ncp:sms:kr:0000000:fake";

    private void sms(HttpExchange exchange, String rest, String rawQuery) throws IOException {
        Instant now = clock.instant();
        if (exchange.getRequestMethod().equals("POST") && rest.isEmpty()) {
            sendCalls.incrementAndGet();
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            }
            JsonNode list = body == null ? null : body.path("messages");
            if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_MESSAGES || body.path("from").asText("").isBlank()) {
                answer(exchange, 400, error("400", "Bad Request", "from and 1 to " + MAX_MESSAGES + " messages are required"));
                return;
            }
            String requestId = "S" + UUID.randomUUID().toString().replace("-", "");
            List<String> ids = new ArrayList<>();
            for (JsonNode m : list) {
                String to = m.path("to").asText("").replaceAll("[^0-9]", "");
                String messageId = "SM" + UUID.randomUUID().toString().replace("-", "");
                smsMessages.put(messageId, new Message(requestId, messageId, to, m.path("content").asText(body.path("content").asText()),
                        null, null, false, body.path("type").asText("SMS"), now, scenarios.getOrDefault(to, defaultScenario.apply(to))));
                ids.add(messageId);
            }
            smsRequests.put(requestId, ids);
            answer(exchange, 202, JSON.createObjectNode().put("requestId", requestId).put("requestTime", REQUEST_TIME.format(now))
                    .put("statusCode", "202").put("statusName", "success"));
        } else if (exchange.getRequestMethod().equals("GET") && rest.isEmpty()) {
            if (resultFault(exchange)) {
                return;
            }
            List<String> ids = smsRequests.getOrDefault(query(rawQuery).getOrDefault("requestId", ""), List.of());
            if (ids.isEmpty()) {
                answer(exchange, 404, null);
                return;
            }
            ObjectNode answer = JSON.createObjectNode().put("requestId", query(rawQuery).get("requestId")).put("statusCode", "200")
                    .put("statusName", "success");
            ArrayNode items = answer.putArray("messages");
            for (String id : ids) {
                Message m = smsMessages.get(id);
                items.addObject().put("messageId", id).put("requestTime", REQUEST_TIME.format(m.acceptedAt())).put("contentType", "COMM")
                        .put("type", m.failoverType()).put("countryCode", "82").put("from", "0212345678").put("to", m.to());
            }
            answer(exchange, 200, answer);
        } else if (exchange.getRequestMethod().equals("GET") && rest.startsWith("/")) {
            if (resultFault(exchange)) {
                return;
            }
            Message m = smsMessages.get(URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8));
            if (m == null) {
                answer(exchange, 404, null);
                return;
            }
            boolean done = m.scenario().kind() != SensScenario.Kind.PROCESSING && !now.isBefore(m.acceptedAt().plus(processing));
            boolean delivered = m.scenario().kind() == SensScenario.Kind.DELIVERED;
            ObjectNode item = JSON.createObjectNode().put("requestTime", REQUEST_TIME.format(m.acceptedAt())).put("contentType", "COMM")
                    .put("content", m.content()).put("countryCode", "82").put("from", "0212345678").put("to", m.to())
                    .put("status", done ? "COMPLETED" : "PROCESSING");
            if (done) {
                item.put("statusCode", delivered ? "0" : "3").put("statusName", delivered ? "success" : "fail")
                        .put("statusMessage", delivered ? "성공" : "수신번호 오류").put("completeTime", COMPLETE_TIME.format(m.acceptedAt().plus(processing)))
                        .put("telcoCode", "SKT");
            }
            ObjectNode answer = JSON.createObjectNode().put("statusCode", "200").put("statusName", "success");
            answer.putArray("messages").add(item);
            answer(exchange, 200, answer);
        } else {
            answer(exchange, 405, error("405", "Method Not Allowed", exchange.getRequestMethod()));
        }
    }

    /** When the result of SMS {@code messageId} became final (null while processing or unknown). */
    public Instant smsResultTime(String messageId) {
        Message m = smsMessages.get(messageId);
        return m == null || m.scenario().kind() == SensScenario.Kind.PROCESSING ? null : m.acceptedAt().plus(processing);
    }

    /** NCP's rule, written here from its documentation: Base64(HmacSHA256(secret, "METHOD path?query\nts\naccessKey")). */
    private boolean signatureValid(HttpExchange exchange, String pathAndQuery) {
        String timestamp = exchange.getRequestHeaders().getFirst("x-ncp-apigw-timestamp");
        String key = exchange.getRequestHeaders().getFirst("x-ncp-iam-access-key");
        String signature = exchange.getRequestHeaders().getFirst("x-ncp-apigw-signature-v2");
        if (timestamp == null || key == null || signature == null || !key.equals(accessKey)) {
            return false;
        }
        try {
            if (Math.abs(clock.millis() - Long.parseLong(timestamp)) > MAX_CLOCK_SKEW_MS) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey, "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal(
                    (exchange.getRequestMethod() + " " + pathAndQuery + "\n" + timestamp + "\n" + key).getBytes(StandardCharsets.UTF_8)));
            return expected.equals(signature);
        } catch (NumberFormatException | GeneralSecurityException e) {
            return false;
        }
    }

    private void send(HttpExchange exchange) throws IOException {
        sendCalls.incrementAndGet();
        if (failSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, failSendStatus, error(String.valueOf(failSendStatus), "Scripted failure", "fake SENS was told to fail"));
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (IOException e) {
            answer(exchange, 400, error("400", "Bad Request", "not JSON"));
            return;
        }
        received.add(body);
        JsonNode list = body == null ? null : body.path("messages");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_MESSAGES
                || body.path("plusFriendId").asText("").isBlank() || body.path("templateCode").asText("").isBlank()) {
            answer(exchange, 400, error("400", "Bad Request", "plusFriendId, templateCode and 1 to " + MAX_MESSAGES + " messages are required"));
            return;
        }
        String requestId = "R" + UUID.randomUUID().toString().replace("-", "");
        Instant now = clock.instant();
        ObjectNode answer = JSON.createObjectNode();
        answer.put("requestId", requestId);
        answer.put("requestTime", REQUEST_TIME.format(now));
        answer.put("statusCode", "202");
        answer.put("statusName", "success");
        ArrayNode out = answer.putArray("messages");
        List<String> ids = new ArrayList<>();
        for (JsonNode m : list) {
            String to = m.path("to").asText("").replaceAll("[^0-9]", "");
            String messageId = "M" + UUID.randomUUID().toString().replace("-", "");
            ObjectNode item = out.addObject();
            item.put("messageId", messageId);
            item.put("countryCode", m.path("countryCode").asText("82"));
            item.put("to", to);
            item.put("useSmsFailover", m.path("useSmsFailover").asBoolean(false));
            String[] refusal = to.length() < 10 || m.path("content").asText("").isBlank()
                    ? new String[] {"E002", "Invalid recipient or empty content"} : refusals.get(to);
            if (refusal != null) {
                item.put("requestStatusCode", refusal[0]);
                item.put("requestStatusName", "fail");
                item.put("requestStatusDesc", refusal[1]);
                continue;
            }
            item.put("requestStatusCode", "A000");
            item.put("requestStatusName", "success");
            item.put("requestStatusDesc", "성공");
            SensScenario scenario = scenarios.getOrDefault(to, defaultScenario.apply(to));
            JsonNode failover = m.path("failoverConfig");
            messages.put(messageId, new Message(requestId, messageId, to, m.path("content").asText(), body.path("templateCode").asText(),
                    body.path("plusFriendId").asText(), m.path("useSmsFailover").asBoolean(false),
                    failover.path("type").asText("SMS"), now, scenario));
            ids.add(messageId);
        }
        requests.put(requestId, ids);
        answer(exchange, 202, answer);
    }

    private boolean resultFault(HttpExchange exchange) throws IOException {
        resultCalls.incrementAndGet();
        if (failResults.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, failResultStatus, error(String.valueOf(failResultStatus), "Scripted failure", "fake SENS was told to fail"));
            return true;
        }
        if (malformedResults.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 200, JSON.createObjectNode().put("unexpected", "shape"));
            return true;
        }
        return false;
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (resultFault(exchange)) {
            return;
        }
        String requestId = query.get("requestId");
        if (requestId == null) {
            answer(exchange, 400, error("400", "Bad Request", "requestId is required (time ranges are not faked)"));
            return;
        }
        Instant now = clock.instant();
        List<Message> alive = requests.getOrDefault(requestId, List.of()).stream().map(messages::get)
                .filter(m -> m != null && !expired(m, now)).toList();
        if (alive.isEmpty()) {
            answer(exchange, 404, null); // SENS: an empty 404 when there are no records
            return;
        }
        int pageSize = Math.max(1, Math.min(100, parse(query.get("pageSize"), 100)));
        int from = Math.max(0, parse(query.get("nextToken"), 0));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("requestId", requestId);
        answer.put("statusCode", "202");
        answer.put("statusName", "success");
        ArrayNode items = answer.putArray("messages");
        for (int i = from; i < Math.min(alive.size(), from + pageSize); i++) {
            items.add(view(alive.get(i), now));
        }
        if (from + pageSize < alive.size()) {
            answer.put("nextToken", String.valueOf(from + pageSize));
        }
        answer.put("pageSize", pageSize);
        answer.put("itemCount", items.size());
        answer(exchange, 200, answer);
    }

    private void one(HttpExchange exchange, String messageId) throws IOException {
        if (resultFault(exchange)) {
            return;
        }
        Message m = messages.get(messageId);
        Instant now = clock.instant();
        if (m == null || expired(m, now)) {
            answer(exchange, 404, null);
            return;
        }
        answer(exchange, 200, view(m, now));
    }

    private boolean expired(Message m, Instant now) {
        return !now.isBefore(m.acceptedAt().plus(retention));
    }

    /** One message's result as SENS shows it now. */
    private ObjectNode view(Message m, Instant now) {
        ObjectNode item = JSON.createObjectNode();
        item.put("requestId", m.requestId());
        item.put("messageId", m.messageId());
        item.put("requestTime", REQUEST_TIME.format(m.acceptedAt()));
        item.put("plusFriendId", m.plusFriendId());
        item.put("templateCode", m.templateCode());
        item.put("countryCode", "82");
        item.put("to", m.to());
        item.put("content", m.content());
        item.put("requestStatusCode", "A000");
        item.put("requestStatusName", "success");
        item.put("requestStatusDesc", "성공");
        item.put("useSmsFailover", m.useSmsFailover());
        boolean done = m.scenario().kind() != SensScenario.Kind.PROCESSING && !now.isBefore(m.acceptedAt().plus(processing));
        if (!done) {
            item.put("messageStatusName", "processing");
            return item;
        }
        Instant completed = m.acceptedAt().plus(processing);
        item.put("completeTime", COMPLETE_TIME.format(completed));
        if (broken.contains(m.to())) {
            item.put("messageStatusName", "fail");
            return item;
        }
        if (m.scenario().kind() == SensScenario.Kind.DELIVERED) {
            item.put("messageStatusCode", SensScenario.DELIVERED_CODE);
            item.put("messageStatusName", "success");
            item.put("messageStatusDesc", "정상 발송");
            return item;
        }
        item.put("messageStatusCode", m.scenario().code());
        item.put("messageStatusName", "fail");
        item.put("messageStatusDesc", describe(m.scenario().code()));
        return item;
    }

    private static String describe(String code) {
        return switch (code) {
            case "3015" -> "템플릿 없음";
            case "3016" -> "메시지 내용이 템플릿과 일치하지 않음";
            case "3018" -> "메시지를 전송할 수 없음";
            case "3022" -> "메시지 발송 가능한 시간이 아님";
            default -> "발송 실패";
        };
    }

    private static ObjectNode error(String code, String message, String details) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("errorCode", code);
        error.put("message", message);
        error.put("details", details);
        return root;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static int parse(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    public static final class Builder {
        private final String accessKey;
        private final String secretKey;
        private final String serviceId;
        private Clock clock = Clock.systemUTC();
        private Duration processing = Duration.ofSeconds(2);
        private Duration retention = Duration.ofDays(30);
        private int port;

        private Builder(String accessKey, String secretKey, String serviceId) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            this.serviceId = serviceId;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long every message stays "processing" before its result shows. */
        public Builder processing(Duration processing) {
            this.processing = processing;
            return this;
        }

        /** How long a message's result is kept (SENS: 30 to 90 days); after it, the message is gone. */
        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public FakeSens start() {
            return new FakeSens(this);
        }
    }
}
