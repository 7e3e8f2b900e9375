package dev.deliverytracker.monitor.dashboard;

/**
 * The dashboard cannot answer completely right now: an instance holding part of the stores is starting, rebalancing or
 * unreachable. The API answers 503 with the reason; never a partial answer.
 */
public class DashboardUnavailableException extends RuntimeException {

    public DashboardUnavailableException(String reason) {
        super(reason);
    }
}
