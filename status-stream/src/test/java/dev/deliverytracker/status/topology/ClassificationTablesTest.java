package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of every shipped classification table, through the topology: an AlimTalk-only delivery of that provider
 * gets a report with the row's code, and ends as the row says: DELIVERED is SENT, UNCERTAIN waits (no final status),
 * any other class is DEAD_LETTER with that class. A typo in a table, a row shadowed by another, or a code the state
 * machine handles differently from its class fails here, naming the provider and code.
 */
class ClassificationTablesTest {

    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

    private record Row(String provider, String code, Classification classification) {
    }

    @Test
    void everyRowOfEveryShippedTableSettlesADeliveryAsItsClassSays() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String provider : List.of("bizgo", "ncp-sens", "aligo")) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                    getClass().getResourceAsStream("/classification/" + provider + ".tsv"), provider), StandardCharsets.UTF_8))) {
                in.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
                    String[] cells = l.split("\t");
                    rows.add(new Row(provider, cells[0].trim(), Classification.valueOf(cells[1].trim())));
                });
            }
        }
        assertThat(rows).hasSizeGreaterThan(60);
        try (TopologyHarness h = new TopologyHarness(StatusTopologyTest.config(10_000), T0)) {
            int n = 0;
            for (Row row : rows) {
                String key = "row-" + n++;
                h.send(acceptedSend(key, T0).setProvider(row.provider()).setFlow(List.of(Channel.ALIMTALK)).build());
                assertThat(h.onlyStatus().getStatus()).isEqualTo(DeliveryState.PENDING);
                h.report(report(key, Channel.ALIMTALK, row.code(), T0.plusSeconds(2)).setProvider(row.provider()).build());
                List<DeliveryStatus> out = h.statuses();
                String what = row.provider() + " " + row.code() + " " + row.classification();
                switch (row.classification()) {
                    case DELIVERED -> assertThat(out).as(what).singleElement()
                            .satisfies(s -> assertThat(s.getStatus()).isEqualTo(DeliveryState.SENT));
                    case UNCERTAIN -> assertThat(out).as(what + ": the provider does not know yet, so it waits").isEmpty();
                    default -> assertThat(out).as(what).singleElement().satisfies(s -> {
                        assertThat(s.getStatus()).isEqualTo(DeliveryState.DEAD_LETTER);
                        assertThat(s.getClassification()).isEqualTo(row.classification());
                        assertThat(s.getCode()).isEqualTo(row.code());
                    });
                }
            }
            h.assertNothingMoreEmitted();
        }
    }
}
