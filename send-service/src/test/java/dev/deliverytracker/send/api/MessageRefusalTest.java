package dev.deliverytracker.send.api;

import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.support.DeliveryService;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static dev.deliverytracker.send.SendServiceHarness.API_KEY;
import static dev.deliverytracker.send.SendServiceHarness.AUTH_TOKEN;
import static dev.deliverytracker.send.SendServiceHarness.BILLING_TOKEN;
import static dev.deliverytracker.send.SendServiceHarness.config;
import static dev.deliverytracker.send.SendServiceHarness.json;
import static dev.deliverytracker.send.SendServiceHarness.message;
import static dev.deliverytracker.send.SendServiceHarness.post;
import static dev.deliverytracker.send.SendServiceHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests refused before anything is sent, through the real HTTP server, with no Kafka broker at all: a refusal
 * never reaches the provider or the event log (the Kafka address points at a port nobody listens on).
 */
class MessageRefusalTest {

    private static final String REGISTRY = "send-refusals";

    private static FakeBizgo bizgo;
    private static EmbeddedServer server;
    private static int port;

    @BeforeAll
    static void start(@TempDir Path outbox) throws IOException {
        bizgo = FakeBizgo.builder(API_KEY).start();
        String nowhere;
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = "127.0.0.1:" + socket.getLocalPort();
        }
        Map<String, Object> props = config(nowhere, REGISTRY, bizgo.baseUrl(), outbox);
        server = DeliveryService.SEND_SERVICE.start(props);
        port = server.getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (bizgo != null) {
            bizgo.close();
        }
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void anInvalidRequestIs400NamingEveryBadFieldAndNothingIsSent() {
        int before = bizgo.sends().size();
        HttpResponse<String> response = send(port, """
                {"to":"12","origin":"billing","timeout":"ten minutes",
                 "flow":[{"channel":"ALIMTALK","text":"#{name} hi"},{"channel":"FAX","text":"x"},
                         {"channel":"SMS","text":"%s"}]}""".formatted("가".repeat(50)), null);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode errors = json(response).get("errors");
        assertThat(errors.has("to")).isTrue();
        assertThat(errors.has("timeout")).isTrue();
        assertThat(errors.has("flow[0].templateCode")).isTrue();
        assertThat(errors.has("flow[1].channel")).isTrue();
        assertThat(errors.get("flow[2].text").asText()).contains("100 bytes").contains("at most 90");
        assertThat(errors.has("variables.name")).isTrue();
        assertThat(response.body()).doesNotContain("\"12\"");
        assertThat(bizgo.sends()).hasSize(before);
    }

    @Test
    void malformedOversizedUnauthenticatedAndMisattributedRequestsAreRefusedClearly() {
        int before = bizgo.sends().size();
        HttpResponse<String> malformed = send(port, "{\"to\": ", null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("type").asText()).endsWith("malformed-json");

        HttpResponse<String> anonymous = post(port, "/v1/messages", message("010-5555-0001", "x"), Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        HttpResponse<String> wrongToken = post(port, "/v1/messages", message("010-5555-0001", "x"), Map.of("Authorization", "Bearer nope-nope-nope-nope"));
        assertThat(wrongToken.statusCode()).isEqualTo(401);

        // the auth service's token cannot send as billing
        HttpResponse<String> spoofed = post(port, "/v1/messages", message("010-5555-0001", "x"), Map.of("Authorization", "Bearer " + AUTH_TOKEN));
        assertThat(spoofed.statusCode()).isEqualTo(400);
        assertThat(json(spoofed).at("/errors/origin").asText()).contains("token");

        HttpResponse<String> oversized = send(port, "{\"ref\":\"" + "x".repeat(1_100_000) + "\"}", null);
        assertThat(oversized.statusCode()).isEqualTo(413);

        HttpResponse<String> form = post(port, "/v1/messages", "to=1", Map.of("Authorization", "Bearer " + BILLING_TOKEN, "Content-Type", "application/x-www-form-urlencoded"));
        assertThat(form.statusCode()).as(form.body()).isEqualTo(415);
        HttpResponse<String> nowhere = post(port, "/v1/nowhere", "{}", Map.of("Authorization", "Bearer " + BILLING_TOKEN));
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(json(nowhere).get("type").asText()).endsWith("not-found");
        assertThat(bizgo.sends()).hasSize(before);
    }

}
