package dev.deliverytracker.send.api;

import dev.deliverytracker.send.auth.ProducerAuthenticator;
import dev.deliverytracker.send.dispatch.SendDispatcher;
import dev.deliverytracker.send.idempotency.Idempotency;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The producers' API, as thin as HTTP allows. Order of checks: token (401, {@link ProducerAuthenticator}), content
 * type (415), Idempotency-Key syntax and body (400 malformed), fields (400 naming each, {@link RequestValidator}); then
 * the send ({@link SendDispatcher}), run at most once per Idempotency-Key ({@link Idempotency}: a replay, or 422 for a
 * reused key), and the answer ({@link SendAnswers}). Blocking work runs on the blocking executor, never on the event loop.
 */
@Controller("/v1/messages")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MessageController {

    private final ProducerAuthenticator authenticator;
    private final RequestValidator validator;
    private final SendDispatcher dispatcher;
    private final Idempotency<SendAnswer> idempotency;
    private final SendAnswers answers;
    private final JsonMapper json;

    public MessageController(ProducerAuthenticator authenticator, RequestValidator validator, SendDispatcher dispatcher,
                             Idempotency<SendAnswer> idempotency, SendAnswers answers, JsonMapper json) {
        this.authenticator = authenticator;
        this.validator = validator;
        this.dispatcher = dispatcher;
        this.idempotency = idempotency;
        this.answers = answers;
        this.json = json;
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
                validator::single, answers::single);
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
                validator::batch, answers::batch);
    }

    private <R> HttpResponse<?> handle(byte[] body, String authorization, String contentType, String idempotencyKey, Class<R> type,
                                       BiFunction<R, String, RequestValidator.Validated> validation,
                                       Function<SendDispatcher.Dispatched, SendAnswer> answer) {
        ProducerAuthenticator.Result authentication = authenticator.authenticate(authorization);
        if (authentication instanceof ProducerAuthenticator.Result.Refused refused) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated", refused.reason() + ". Send 'Authorization: Bearer <token>'")
                    .header("WWW-Authenticate", "Bearer realm=\"send-service\"");
        }
        String origin = ((ProducerAuthenticator.Result.Authenticated) authentication).origin();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Problem.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                    "Send the request body as application/json");
        }
        Optional<String> keyProblem = idempotencyKey == null ? Optional.empty() : Idempotency.keyProblem(idempotencyKey);
        if (keyProblem.isPresent()) {
            return invalid(Map.of("Idempotency-Key", keyProblem.get()));
        }
        R request = parse(body, type);
        if (request == null) {
            return Problem.response(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed request",
                    "The body is not a JSON object of the documented shape (see /swagger/send-service-0.1.yml)");
        }
        RequestValidator.Validated validated = validation.apply(request, origin);
        if (!validated.valid()) {
            return invalid(validated.errors());
        }
        if (idempotencyKey == null) {
            return answer.apply(dispatcher.dispatch(validated.message(), validated.recipients(), Optional.empty())).toResponse(false);
        }
        Idempotency.Outcome<SendAnswer> outcome = idempotency.execute(validated.message().origin(), idempotencyKey,
                Idempotency.fingerprint(type.getSimpleName(), body),
                providerKey -> answer.apply(dispatcher.dispatch(validated.message(), validated.recipients(), Optional.of(providerKey))),
                SendAnswer::worthRemembering);
        if (outcome instanceof Idempotency.Outcome.Answered<SendAnswer> answered) {
            return answered.answer().toResponse(answered.replayed());
        }
        if (outcome instanceof Idempotency.Outcome.Conflict<SendAnswer>) {
            return Problem.response(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key reused",
                    "This Idempotency-Key was used with a different request body within its TTL; use a new key for a new message");
        }
        return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "in-flight", "The first request with this key did not finish",
                "Retry with the same Idempotency-Key");
    }

    private <R> R parse(byte[] body, Class<R> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static HttpResponse<?> invalid(Map<String, String> errors) {
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(Problem.MEDIA_TYPE)
                .body(new Problem("urn:delivery-tracker:problem:invalid-request", "Invalid request", 400,
                        errors.size() + " field(s) are invalid; nothing was sent", errors));
    }
}
