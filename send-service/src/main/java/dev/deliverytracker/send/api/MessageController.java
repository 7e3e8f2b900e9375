package dev.deliverytracker.send.api;

import dev.deliverytracker.send.app.SendServiceProperties;
import dev.deliverytracker.send.dispatch.RecipientOutcome;
import dev.deliverytracker.send.dispatch.SendDispatcher;
import dev.deliverytracker.send.idempotency.IdempotencyCache;
import dev.deliverytracker.send.idempotency.IdempotencyCache.Claim;
import dev.deliverytracker.send.record.SendRecorder.Tracking;
import dev.deliverytracker.support.OriginTokens;
import dev.deliverytracker.support.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The producers' API. Order of checks: token (401), body (400 malformed), fields (400 naming each), Idempotency-Key
 * (replay or 422 conflict), then the provider call and the durable record, then the answer. Blocking work runs on
 * the blocking executor, never on the event loop.
 */
@Controller("/v1/messages")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MessageController {

    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final OriginTokens tokens;
    private final boolean allowAnonymous;
    private final RequestValidator validator;
    private final SendDispatcher dispatcher;
    private final IdempotencyCache<SendAnswer> idempotency;
    private final JsonMapper json;
    private final String statusBaseUrl;

    public MessageController(OriginTokens tokens, RequestValidator validator, SendDispatcher dispatcher,
                             IdempotencyCache<SendAnswer> idempotency, JsonMapper json, SendServiceProperties properties) {
        this.tokens = tokens;
        this.allowAnonymous = properties.allowAnonymous();
        this.validator = validator;
        this.dispatcher = dispatcher;
        this.idempotency = idempotency;
        this.json = json;
        this.statusBaseUrl = properties.statusBaseUrl().replaceAll("/+$", "");
    }

    @Operation(summary = "Send one message", description = "Sends through the provider and records the send before answering. "
            + "202 means the provider accepted it, not that it was delivered.",
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = MessageRequest.class))))
    @ApiResponse(responseCode = "202", description = "Accepted by the provider; PENDING until a report settles it",
            content = @Content(schema = @Schema(implementation = MessageAccepted.class)))
    @ApiResponse(responseCode = "400", description = "Invalid request: each bad field named; nothing was sent",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "Missing or unknown bearer token")
    @ApiResponse(responseCode = "409", description = "Accepted earlier under this Idempotency-Key by another instance; the provider did not repeat the msgKey")
    @ApiResponse(responseCode = "422", description = "The provider refused the message (bad template, number, permission); recorded as DEAD_LETTER, or the Idempotency-Key was reused with another body",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProviderProblem.class)))
    @ApiResponse(responseCode = "503", description = "The provider could not be reached after the retries that were safe")
    @Post
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    public HttpResponse<?> send(@Body byte[] body,
                                @Nullable @Header("Authorization") String authorization,
                                @Nullable @Header("Content-Type") String contentType,
                                @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return handle(body, authorization, contentType, idempotencyKey, MessageRequest.class,
                (request, origin) -> validator.single(request, origin),
                this::singleAnswer);
    }

    @Operation(summary = "Send one message to many recipients (at most 500)", description = "Answers 200 with one result per recipient, "
            + "each with the status a single send would have had. Split into requests of at most 200 recipients for Bizgo.",
            requestBody = @RequestBody(required = true, content = @Content(schema = @Schema(implementation = BatchRequest.class))))
    @ApiResponse(responseCode = "200", description = "Per-recipient results", content = @Content(schema = @Schema(implementation = BatchAnswer.class)))
    @ApiResponse(responseCode = "400", description = "Invalid request: each bad field named; nothing was sent")
    @Post("/batch")
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    public HttpResponse<?> batch(@Body byte[] body,
                                 @Nullable @Header("Authorization") String authorization,
                                 @Nullable @Header("Content-Type") String contentType,
                                  @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return handle(body, authorization, contentType, idempotencyKey, BatchRequest.class,
                (request, origin) -> validator.batch(request, origin),
                this::batchAnswer);
    }

    private interface Validation<R> {
        RequestValidator.Validated validate(R request, String origin);
    }

    private <R> HttpResponse<?> handle(byte[] body, String authorization, String contentType, String idempotencyKey, Class<R> type,
                                       Validation<R> validation, Function<SendDispatcher.Dispatched, SendAnswer> answer) {
        OriginTokens.Check check = allowAnonymous && (authorization == null || authorization.isBlank())
                ? new OriginTokens.Check.Allowed(null) : tokens.check(authorization);
        if (check instanceof OriginTokens.Check.Denied denied) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated", denied.reason() + ". Send 'Authorization: Bearer <token>'")
                    .header("WWW-Authenticate", "Bearer realm=\"send-service\"");
        }
        String origin = ((OriginTokens.Check.Allowed) check).origin();
        if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return Problem.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                    "Send the request body as application/json");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
                || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e))) {
            return invalid(Map.of("Idempotency-Key", "1 to " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters"));
        }
        R request;
        try {
            request = json.readValue(body, type);
        } catch (IOException | RuntimeException e) {
            request = null;
        }
        if (request == null) {
            return Problem.response(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed request",
                    "The body is not a JSON object of the documented shape (see /swagger/send-service-0.1.yml)");
        }
        RequestValidator.Validated validated = validation.validate(request, origin);
        if (!validated.valid()) {
            return invalid(validated.errors());
        }
        String sender = validated.message().origin();
        if (idempotencyKey == null) {
            return answer.apply(dispatcher.dispatch(validated.message(), validated.recipients(), Optional.empty())).toResponse(false);
        }
        Claim<SendAnswer> claim = idempotency.claim(sender, idempotencyKey, fingerprint(type.getSimpleName(), body));
        if (claim instanceof Claim.Conflict<SendAnswer>) {
            return Problem.response(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key reused",
                    "This Idempotency-Key was used with a different request body within its TTL; use a new key for a new message");
        }
        if (claim instanceof Claim.Replay<SendAnswer> replay) {
            try {
                return replay.answer().get(2, TimeUnit.MINUTES).toResponse(true);
            } catch (ExecutionException | TimeoutException e) {
                return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "in-flight", "The first request with this key did not finish",
                        "Retry with the same Idempotency-Key");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        Claim.Owner<SendAnswer> owner = (Claim.Owner<SendAnswer>) claim;
        try {
            SendAnswer result = answer.apply(dispatcher.dispatch(validated.message(), validated.recipients(),
                    Optional.of(providerKey(sender, idempotencyKey))));
            idempotency.complete(owner, result, SendAnswer::worthRemembering);
            return result.toResponse(false);
        } catch (RuntimeException e) {
            idempotency.forget(owner, e);
            throw e;
        }
    }

    private SendAnswer singleAnswer(SendDispatcher.Dispatched dispatched) {
        RecipientOutcome outcome = dispatched.outcomes().get(0);
        Map<String, String> headers = trackingHeaders(dispatched.tracking());
        if (outcome instanceof RecipientOutcome.Accepted accepted) {
            String statusUrl = statusUrl(accepted.msgKey());
            Map<String, String> withLocation = new LinkedHashMap<>(headers);
            withLocation.put("Location", statusUrl);
            String tracking = dispatched.tracking().name();
            // An UNTRACKED send is not remembered: a retry with the same key reaches the provider again, which answers
            // its duplicate with the msgKey, and records it this time (docs/architecture.md, D5).
            return SendAnswer.json(HttpStatus.ACCEPTED, new MessageAccepted(accepted.msgKey(), accepted.requestId(), "PENDING",
                    statusUrl, tracking, MessageAccepted.warningFor(tracking)), withLocation)
                    .withRemember(dispatched.tracking() != Tracking.UNTRACKED);
        }
        if (outcome instanceof RecipientOutcome.Rejected rejected) {
            return SendAnswer.problem(HttpStatus.UNPROCESSABLE_ENTITY, new ProviderProblem("urn:delivery-tracker:problem:provider-rejected",
                    "The provider refused the message", 422,
                    "The provider answered " + rejected.providerCode() + ": " + rejected.providerMessage()
                            + ". Recorded as a rejected send (DEAD_LETTER); fix the request before sending again.",
                    "bizgo", rejected.providerCode(), rejected.providerMessage(), rejected.requestId()), headers)
                    .withRemember(dispatched.tracking() != Tracking.UNTRACKED);
        }
        if (outcome instanceof RecipientOutcome.AlreadyAccepted already) {
            return SendAnswer.problem(HttpStatus.CONFLICT, "already-accepted", "Already accepted",
                    "The provider accepted a request with this Idempotency-Key before (" + already.providerCode()
                            + ") and did not repeat its msgKey; it is tracked under the first request's msgKey. Look it up by your ref.");
        }
        RecipientOutcome.Unavailable unavailable = (RecipientOutcome.Unavailable) outcome;
        return SendAnswer.problem(HttpStatus.SERVICE_UNAVAILABLE, new Problem("urn:delivery-tracker:problem:provider-unavailable",
                "The provider is unavailable", 503, unavailable.detail(), null), Map.of("Retry-After", "5"));
    }

    private SendAnswer batchAnswer(SendDispatcher.Dispatched dispatched) {
        List<BatchAnswer.Item> items = new ArrayList<>();
        String tracking = dispatched.tracking().name();
        int accepted = 0;
        int rejected = 0;
        int unavailable = 0;
        for (int i = 0; i < dispatched.outcomes().size(); i++) {
            RecipientOutcome outcome = dispatched.outcomes().get(i);
            if (outcome instanceof RecipientOutcome.Accepted a) {
                accepted++;
                items.add(new BatchAnswer.Item(i, 202, a.requestId(), a.msgKey(), statusUrl(a.msgKey()), null, null, trackingOf(dispatched, i)));
            } else if (outcome instanceof RecipientOutcome.Rejected r) {
                rejected++;
                items.add(new BatchAnswer.Item(i, 422, r.requestId(), null, null, r.providerCode(), r.providerMessage(), trackingOf(dispatched, i)));
            } else if (outcome instanceof RecipientOutcome.AlreadyAccepted a) {
                accepted++;
                items.add(new BatchAnswer.Item(i, 409, a.requestId(), null, null, a.providerCode(), "accepted earlier under this Idempotency-Key", null));
            } else if (outcome instanceof RecipientOutcome.Unavailable u) {
                unavailable++;
                items.add(new BatchAnswer.Item(i, 503, u.requestId(), null, null, null, u.detail(), null));
            }
        }
        BatchAnswer body = new BatchAnswer(accepted, rejected, unavailable, tracking, MessageAccepted.warningFor(tracking), items);
        // A batch with unavailable recipients, or whose events nothing recorded, is not remembered, so its retry
        // reaches the provider again (which repeats the msgKeys of its duplicates) and records them.
        return SendAnswer.json(HttpStatus.OK, body, trackingHeaders(dispatched.tracking()))
                .withRemember(unavailable == 0 && dispatched.tracking() != Tracking.UNTRACKED);
    }

    private static String trackingOf(SendDispatcher.Dispatched dispatched, int index) {
        Tracking tracking = dispatched.trackingPerRecipient().get(index);
        return tracking == null ? null : tracking.name();
    }

    private static Map<String, String> trackingHeaders(Tracking tracking) {
        return tracking == Tracking.RECORDED ? Map.of() : Map.of("X-Delivery-Tracking", tracking.name().toLowerCase(java.util.Locale.ROOT));
    }

    private String statusUrl(String msgKey) {
        return statusBaseUrl + "/v1/deliveries/" + msgKey;
    }

    private static HttpResponse<?> invalid(Map<String, String> errors) {
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(Problem.MEDIA_TYPE)
                .body(new Problem("urn:delivery-tracker:problem:invalid-request", "Invalid request", 400,
                        errors.size() + " field(s) are invalid; nothing was sent", errors));
    }

    /** Bizgo's idempotency key: scoped by origin, hashed so any producer key fits Bizgo's 200-character limit. */
    static String providerKey(String origin, String key) {
        return "dt-" + sha256(origin + '\u0000' + key).substring(0, 48);
    }

    private static String fingerprint(String kind, byte[] body) {
        return sha256(kind + '\u0000' + new String(body, StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
