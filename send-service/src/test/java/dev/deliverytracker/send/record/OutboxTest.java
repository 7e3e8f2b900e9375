package dev.deliverytracker.send.record;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.fixtures.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox file on its own: order, persistence across reopen, torn and corrupt lines, truncation. */
class OutboxTest {

    private static SendEvent event(String msgKey) {
        return Events.acceptedSend(msgKey, Instant.parse("2026-11-22T01:00:00Z")).build();
    }

    @Test
    void eventsComeBackInOrderAndSurviveAReopen(@TempDir Path dir) {
        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-1"));
            outbox.append(event("mk-2"));
            outbox.append(event("mk-3"));
            List<Outbox.Entry> two = outbox.pending(2);
            assertThat(two).extracting(e -> e.event().getMsgKey()).containsExactly("mk-1", "mk-2");
            outbox.markReplayed(two.get(1).endOffset());
        }
        try (Outbox reopened = new Outbox(dir)) {
            assertThat(reopened.hasPending()).isTrue();
            List<Outbox.Entry> rest = reopened.pending(10);
            assertThat(rest).extracting(e -> e.event().getMsgKey()).containsExactly("mk-3");
            assertThat(rest.get(0).event()).isEqualTo(event("mk-3"));
            reopened.markReplayed(rest.get(0).endOffset());
            assertThat(reopened.hasPending()).isFalse();
            assertThat(reopened.pending(10)).isEmpty();
        }
        assertThat(dir.resolve("events.log")).isEmptyFile();
    }

    @Test
    void aTornLastLineFromACrashIsDroppedAndACorruptLineIsSkipped(@TempDir Path dir) throws Exception {
        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-1"));
        }
        Files.writeString(dir.resolve("events.log"), "0000beef bm90IGF2cm8=\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-2"));
        }
        Files.writeString(dir.resolve("events.log"), "1234abcd half-written", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (Outbox outbox = new Outbox(dir)) {
            List<Outbox.Entry> first = outbox.pending(10);
            assertThat(first).extracting(e -> e.event().getMsgKey()).containsExactly("mk-1", "mk-2");
            outbox.append(event("mk-3"));
            outbox.markReplayed(first.get(1).endOffset());
            assertThat(outbox.pending(10)).extracting(e -> e.event().getMsgKey()).containsExactly("mk-3");
        }
    }
}
