package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bizgo's report polling ({@code GET/DELETE /api/comm/v1/report/polling}): a GET hands out a batch of up to 100
 * reports under a report id, the same batch again until a DELETE of that id acknowledges it.
 */
final class PollingQueue {

    static final int BATCH_SIZE = 100;

    private final Deque<ObjectNode> waiting = new ArrayDeque<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failAcks = new AtomicInteger();
    private List<ObjectNode> batch;
    private String batchId;
    private long batches;

    synchronized void add(ObjectNode report) {
        waiting.add(report);
    }

    /** {@code GET}: the unacknowledged batch, or a new one, or an empty answer. */
    synchronized BizgoAnswer get() {
        if (batch == null && !waiting.isEmpty()) {
            batch = new ArrayList<>();
            while (batch.size() < BATCH_SIZE && !waiting.isEmpty()) {
                batch.add(waiting.poll());
            }
            batchId = "RPT" + (++batches);
        }
        calls.add("GET " + (batch == null ? "-" : batchId));
        ObjectNode data = BizgoJson.object();
        data.put("reportId", batch == null ? "" : batchId);
        if (batch == null) {
            data.putNull("report");
        } else {
            batch.forEach(data.putArray("report")::add);
        }
        return new BizgoAnswer(200, BizgoJson.service("A000", "Success", data));
    }

    /** {@code DELETE <reportId>}: acknowledges the batch handed out under that id. */
    synchronized BizgoAnswer delete(String reportId) {
        calls.add("DELETE " + reportId);
        if (failAcks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new BizgoAnswer(500, BizgoJson.service("A910", "Internal error", null));
        }
        if (batch == null || !reportId.equals(batchId)) {
            return new BizgoAnswer(403, BizgoJson.service("A802", "Invalid report ID", null));
        }
        batch = null;
        batchId = null;
        return new BizgoAnswer(200, BizgoJson.service("A000", "Success", null));
    }

    void failNextAcks(int count) {
        failAcks.set(count);
    }

    int scriptedLeft() {
        return Math.max(0, failAcks.get());
    }

    synchronized int awaiting() {
        return waiting.size() + (batch == null ? 0 : batch.size());
    }

    List<String> calls() {
        return List.copyOf(calls);
    }
}
