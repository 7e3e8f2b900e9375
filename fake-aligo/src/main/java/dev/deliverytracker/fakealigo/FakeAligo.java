package dev.deliverytracker.fakealigo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A stand-in for Aligo's AlimTalk API (smartsms.aligo.in/alimapi.html), for tests and the one-machine mode; never
 * for production. Form-encoded POSTs answered with JSON, HTTP 200 even on failure, as Aligo does:
 * {@code /akv10/token/create/{n}/{unit}/} (a token valid for that long), {@code /akv10/alimtalk/send/} (at most 500
 * numbered recipients, one {@code mid} for the request, {@code -99} when the points run out, {@code -101} for a wrong
 * key or token) and {@code /akv10/history/detail/} (per recipient, paged: "sending" with a {@code Q} msgid for
 * {@code processing}, then its {@link AligoScenario}'s {@code rslt}; a failed AlimTalk that asked for a fail-over
 * names its SMS's {@code smid}). The SMS API's {@code /sms_list/} (smartsms.aligo.in/smsapi.html: {@code key},
 * {@code userid}, {@code mid}; {@code result_code} 1, per recipient {@code receiver} and {@code sms_state} as free
 * Korean text) is served on the same port, so a client's SMS base URL is this one too, with the SMS API's
 * {@code /send_mass/} ({@code key}, {@code user_id}, {@code sender}, {@code rec_N}/{@code msg_N}, {@code cnt},
 * {@code msg_type}, {@code title}; answered {@code result_code} 1 and a {@code msg_id}): a plain SMS's state is
 * 발송완료 for the delivered endings, 발/착신 번호 에러 for the failing ones, 전송중 forever for 96–99.
 */
public final class FakeAligo implements AutoCloseable {

    public static final int MAX_RECEIVERS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Seoul"));

    /** One accepted recipient. */
    private record Recipient(long mid, int index, String phone, String message, boolean failover, Instant at, AligoScenario scenario) {
        boolean done(Instant now, Duration processing) {
            return scenario.rslt() != null && !now.isBefore(at.plus(processing));
        }

        /** The fail-over SMS's mid, when the AlimTalk failed and a fail-over was asked for. */
        long smid() {
            return failover && scenario.rslt() != null && !scenario.rslt().equals("0") && scenario.failoverState() != null ? mid + 500_000_000L : 0;
        }
    }

    /** The form fields of one send, as received (for tests). */
    public record ReceivedSend(Map<String, String> form) {
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final String apiKey;
    private final String userId;
    private final Clock clock;
    private final Duration processing;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<Long, List<Recipient>> sends = new ConcurrentHashMap<>();
    /** Plain SMS/LMS sends (/send_mass/), by msg_id. */
    private final Map<Long, List<Recipient>> smsSends = new ConcurrentHashMap<>();
    private final Map<String, AligoScenario> scenarios = new ConcurrentHashMap<>();
    private final List<ReceivedSend> received = new CopyOnWriteArrayList<>();
    private volatile Function<String, AligoScenario> defaultScenario = AligoScenario::byNumber;
    private final AtomicLong mids = new AtomicLong(700_000_000L);
    private final AtomicLong points = new AtomicLong(Long.MAX_VALUE / 2);
    private final AtomicInteger tokensCreated = new AtomicInteger();
    private final AtomicLong historyCalls = new AtomicLong();
    private final AtomicInteger failHistory = new AtomicInteger();
    private volatile int failHistoryStatus;

    private FakeAligo(Builder builder) {
        this.apiKey = Objects.requireNonNull(builder.apiKey);
        this.userId = Objects.requireNonNull(builder.userId);
        this.clock = builder.clock;
        this.processing = builder.processing;
        this.handlers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-aligo-http");
            t.setDaemon(true);
            return t;
        });
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", builder.port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("fake Aligo cannot listen on port " + builder.port, e);
        }
        server.setExecutor(handlers);
        server.createContext("/akv10/", this::handle);
        server.createContext("/sms_list/", this::handle);
        server.createContext("/send_mass/", this::handle);
        server.start();
    }

    public static Builder builder(String apiKey, String userId) {
        return new Builder(apiKey, userId);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void scenario(String to, AligoScenario scenario) {
        scenarios.put(to.replaceAll("[^0-9]", ""), scenario);
    }

    public void defaultScenario(Function<String, AligoScenario> chooser) {
        defaultScenario = Objects.requireNonNull(chooser);
    }

    /** The account's points: each recipient costs one; at zero, sends answer {@code -99}. */
    public void points(long left) {
        points.set(left);
    }

    /** Every token made so far expires now (a send with one answers {@code -101}). */
    public void expireTokens() {
        tokens.replaceAll((token, until) -> clock.instant().minusSeconds(1));
    }

    public int tokensCreated() {
        return tokensCreated.get();
    }

    /** When the AlimTalk result of recipient {@code n} of {@code mid} became final (null while sending or unknown). */
    public Instant resultTime(String mid, int n) {
        List<Recipient> recipients = sends.get(Long.parseLong(mid));
        if (recipients == null) {
            return null;
        }
        return recipients.stream().filter(r -> r.index() == n && r.scenario().rslt() != null).findFirst()
                .map(r -> r.at().plus(processing)).orElse(null);
    }

    /** The next {@code count} history and SMS-list calls are answered with HTTP {@code status} (429, 500, 503). */
    public void failNextHistoryCalls(int count, int status) {
        failHistoryStatus = status;
        failHistory.set(count);
    }

    public long historyCalls() {
        return historyCalls.get();
    }

    public List<ReceivedSend> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            ObjectNode answer;
            try {
                String path = exchange.getRequestURI().getPath();
                Map<String, String> form = form(exchange);
                if (!exchange.getRequestMethod().equals("POST")) {
                    answer = error(-1, "POST only");
                } else if (path.startsWith("/akv10/token/create/")) {
                    answer = token(path.substring("/akv10/token/create/".length()), form);
                } else if (path.equals("/akv10/alimtalk/send/")) {
                    answer = send(form);
                } else if (path.equals("/akv10/history/detail/")) {
                    answer = detail(form);
                } else if (path.equals("/sms_list/")) {
                    answer = smsList(form);
                } else if (path.equals("/send_mass/")) {
                    answer = sendMass(form);
                } else {
                    answer = error(-1, "없는 경로입니다.");
                }
            } catch (RuntimeException e) {
                answer = error(-1, "fake Aligo failed: " + e.getClass().getSimpleName());
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(answer.has("httpStatus") ? answer.get("httpStatus").asInt() : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private ObjectNode token(String rest, Map<String, String> form) {
        if (!apiKey.equals(form.get("apikey")) || !userId.equals(form.get("userid"))) {
            return error(-101, "인증오류입니다.");
        }
        String[] parts = rest.split("/");
        Duration life;
        try {
            long n = Long.parseLong(parts[0]);
            life = switch (parts[1]) {
                case "y" -> Duration.ofDays(365 * n);
                case "m" -> Duration.ofDays(30 * n);
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "i" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> throw new IllegalArgumentException(parts[1]);
            };
        } catch (RuntimeException e) {
            return error(-99, "토큰 생성 조건이 올바르지 않습니다.");
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, clock.instant().plus(life));
        tokensCreated.incrementAndGet();
        ObjectNode answer = JSON.createObjectNode().put("code", 0).put("message", "정상적으로 생성하였습니다.");
        answer.put("token", token);
        answer.put("urlencode", java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
        return answer;
    }

    private boolean authorised(Map<String, String> form) {
        Instant until = tokens.get(form.getOrDefault("token", ""));
        return apiKey.equals(form.get("apikey")) && userId.equals(form.get("userid")) && until != null && clock.instant().isBefore(until);
    }

    private ObjectNode send(Map<String, String> form) {
        received.add(new ReceivedSend(Map.copyOf(form)));
        if (!authorised(form)) {
            return error(-101, "인증오류입니다.");
        }
        if (form.getOrDefault("senderkey", "").isBlank() || form.getOrDefault("tpl_code", "").isBlank()) {
            return error(-99, "senderkey, tpl_code는 필수입니다.");
        }
        List<Recipient> recipients = new ArrayList<>();
        long mid = mids.incrementAndGet();
        Instant now = clock.instant();
        int bad = 0;
        for (int n = 1; n <= MAX_RECEIVERS; n++) {
            String receiver = form.get("receiver_" + n);
            if (receiver == null) {
                continue;
            }
            String phone = receiver.replaceAll("[^0-9]", "");
            if (phone.length() < 10 || form.getOrDefault("message_" + n, "").isBlank()) {
                bad++;
                continue;
            }
            recipients.add(new Recipient(mid, n, phone, form.get("message_" + n), "Y".equals(form.get("failover")), now,
                    scenarios.getOrDefault(phone, defaultScenario.apply(phone))));
        }
        if (form.containsKey("receiver_" + (MAX_RECEIVERS + 1))) {
            return error(-99, "수신자는 최대 500명입니다.");
        }
        if (points.get() < recipients.size()) {
            return error(-99, "포인트가 부족합니다.");
        }
        points.addAndGet(-recipients.size());
        sends.put(mid, recipients);
        ObjectNode answer = JSON.createObjectNode().put("code", 0).put("message", "성공적으로 전송요청 하였습니다.");
        ObjectNode info = answer.putObject("info");
        info.put("type", "AT");
        info.put("mid", mid);
        info.put("current", String.valueOf(points.get()));
        info.put("unit", 6.5);
        info.put("total", 6.5 * recipients.size());
        info.put("scnt", recipients.size());
        info.put("fcnt", bad);
        return answer;
    }

    private ObjectNode detail(Map<String, String> form) {
        historyCalls.incrementAndGet();
        if (failHistory.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return error(-1, "scripted failure").put("httpStatus", failHistoryStatus);
        }
        if (!authorised(form)) {
            return error(-101, "인증오류입니다.");
        }
        long mid;
        try {
            mid = Long.parseLong(form.getOrDefault("mid", ""));
        } catch (NumberFormatException e) {
            return error(-99, "mid가 올바르지 않습니다.");
        }
        List<Recipient> recipients = sends.getOrDefault(mid, List.of());
        int limit = Math.max(50, Math.min(500, parse(form.get("limit"), 50)));
        int page = Math.max(1, parse(form.get("page"), 1));
        int pages = Math.max(1, (recipients.size() + limit - 1) / limit);
        Instant now = clock.instant();
        ObjectNode answer = JSON.createObjectNode().put("code", 0).put("message", "성공적으로 조회되었습니다.");
        ArrayNode list = answer.putArray("list");
        for (int i = (page - 1) * limit; i < Math.min(recipients.size(), page * limit); i++) {
            Recipient r = recipients.get(i);
            boolean done = r.done(now, processing);
            ObjectNode row = list.addObject();
            row.put("msgid", (done ? "" : "Q") + (r.mid() * 1000 + r.index()));
            row.put("type", "AT");
            row.put("sender", "0212345678");
            row.put("phone", r.phone());
            row.put("status", "3");
            row.put("reqdate", TIME.format(r.at()));
            row.put("sentdate", TIME.format(r.at()));
            row.put("rsltdate", done ? TIME.format(r.at().plus(processing)) : "");
            row.put("reportdate", done ? TIME.format(r.at().plus(processing)) : "");
            row.put("rslt", done ? r.scenario().rslt() : "");
            row.put("rslt_message", done ? r.scenario().text() : "");
            row.put("message", r.message());
            row.put("button_json", "");
            row.put("tpl_code", "TPL");
            row.put("senderKey", "sender-key");
            row.put("smid", done ? String.valueOf(r.smid()) : "0");
        }
        answer.put("currentPage", String.valueOf(page));
        answer.put("totalPage", String.valueOf(pages));
        answer.put("totalCount", String.valueOf(recipients.size()));
        return answer;
    }

    private ObjectNode sendMass(Map<String, String> form) {
        received.add(new ReceivedSend(Map.copyOf(form)));
        ObjectNode answer = JSON.createObjectNode();
        if (!apiKey.equals(form.get("key")) || !userId.equals(form.get("user_id"))) {
            return answer.put("result_code", -101).put("message", "인증오류입니다.");
        }
        int count = parse(form.get("cnt"), 0);
        if (count < 1 || count > MAX_RECEIVERS) {
            return answer.put("result_code", -99).put("message", "cnt는 1~500입니다.");
        }
        if (points.get() < count) {
            return answer.put("result_code", -99).put("message", "포인트가 부족합니다.");
        }
        long msgId = mids.incrementAndGet();
        Instant now = clock.instant();
        List<Recipient> recipients = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            String phone = form.getOrDefault("rec_" + n, "").replaceAll("[^0-9]", "");
            AligoScenario story = scenarios.getOrDefault(phone, defaultScenario.apply(phone));
            recipients.add(new Recipient(msgId, n, phone, form.get("msg_" + n), false, now, story));
        }
        points.addAndGet(-count);
        smsSends.put(msgId, recipients);
        answer.put("result_code", "1").put("message", "success").put("msg_id", String.valueOf(msgId));
        answer.put("success_cnt", count).put("error_cnt", 0).put("msg_type", form.getOrDefault("msg_type", "SMS"));
        return answer;
    }

    /**
     * An SMS request's recipients ({@code mid} a {@code /send_mass/} msg_id), or the fail-over SMS of every AlimTalk
     * recipient that failed ({@code mid} its smid): each state shows a processing time after the send.
     */
    private ObjectNode smsList(Map<String, String> form) {
        historyCalls.incrementAndGet();
        ObjectNode answer = JSON.createObjectNode();
        if (!apiKey.equals(form.get("key")) || !userId.equals(form.get("userid"))) {
            return answer.put("result_code", -101).put("message", "인증오류입니다.");
        }
        long smid = parse(form.get("mid"), -1);
        Instant now = clock.instant();
        answer.put("result_code", 1).put("message", "success");
        ArrayNode list = answer.putArray("list");
        for (Recipient r : smsSends.getOrDefault(smid, List.of())) {
            boolean done = r.scenario().rslt() != null && !now.isBefore(r.at().plus(processing));
            ObjectNode row = list.addObject();
            row.put("mdid", String.valueOf(r.mid() * 1000 + r.index()));
            row.put("type", "SMS");
            row.put("sender", "0212345678");
            row.put("receiver", r.phone());
            row.put("sms_state", !done ? "전송중" : r.scenario().rslt().equals("0") ? AligoScenario.SMS_DELIVERED : "발/착신 번호 에러");
            row.put("reg_date", TIME.format(r.at()));
            row.put("send_date", done ? TIME.format(r.at().plus(processing)) : "");
        }
        sends.values().stream().flatMap(List::stream).filter(r -> r.smid() == smid && smid > 0).forEach(r -> {
            boolean done = !now.isBefore(r.at().plus(processing.multipliedBy(2)));
            ObjectNode row = list.addObject();
            row.put("mdid", String.valueOf(r.smid() * 1000 + r.index()));
            row.put("type", "SMS");
            row.put("sender", "0212345678");
            row.put("receiver", r.phone());
            row.put("sms_state", done ? r.scenario().failoverState() : "전송중");
            row.put("reg_date", TIME.format(r.at().plus(processing)));
            row.put("send_date", done ? TIME.format(r.at().plus(processing.multipliedBy(2))) : "");
        });
        answer.put("next_yn", "N");
        return answer;
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("code", code).put("message", message);
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return form;
    }

    private static long parse(String value, long otherwise) {
        try {
            return value == null ? otherwise : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static int parse(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value.trim());
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
        private final String apiKey;
        private final String userId;
        private Clock clock = Clock.systemUTC();
        private Duration processing = Duration.ofSeconds(5);
        private int port;

        private Builder(String apiKey, String userId) {
            this.apiKey = apiKey;
            this.userId = userId;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long a recipient shows "sending" before its result. */
        public Builder processing(Duration processing) {
            this.processing = processing;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public FakeAligo start() {
            return new FakeAligo(this);
        }
    }
}
