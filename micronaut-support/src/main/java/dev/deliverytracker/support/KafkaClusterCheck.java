package dev.deliverytracker.support;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the Kafka cluster answers, for {@code /health}: asks for the cluster's brokers with a short timeout, and
 * remembers the answer for a few seconds so a health probe every second does not become a request every second.
 * The admin client is created on first use.
 */
public final class KafkaClusterCheck implements AutoCloseable {

    /** The last answer: reachable with {@code brokers}, or not, with the error. */
    public record Result(boolean reachable, int brokers, String error) {
    }

    private final KafkaClientProperties kafka;
    private final Duration timeout;
    private final Duration cacheFor;
    private Admin admin;
    private Result last;
    private long lastAt;

    public KafkaClusterCheck(KafkaClientProperties kafka, Duration timeout, Duration cacheFor) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
    }

    public synchronized Result check() {
        long now = System.nanoTime();
        if (last != null && now - lastAt < cacheFor.toNanos()) {
            return last;
        }
        last = ask();
        lastAt = System.nanoTime();
        return last;
    }

    private Result ask() {
        try {
            if (admin == null) {
                Map<String, Object> config = kafka.common();
                config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
                config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
                config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "health-check");
                admin = Admin.create(config);
            }
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return new Result(true, brokers, null);
        } catch (ExecutionException e) {
            return new Result(false, 0, "Kafka at " + kafka.bootstrapServers() + " did not answer: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return new Result(false, 0, "Kafka at " + kafka.bootstrapServers() + " did not answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, 0, "interrupted");
        } catch (RuntimeException e) {
            return new Result(false, 0, "Kafka at " + kafka.bootstrapServers() + " cannot be asked: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
