package dev.deliverytracker.send.app;

import dev.deliverytracker.support.DeliveryService;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** Starts send-service: the producers' send API (default port 8080). */
@OpenAPIDefinition(info = @Info(title = "send-service", version = "0.1",
        description = "Send a notification through a message provider and have it tracked until its delivery report settles it. "
                + "An accepted send is PENDING, never SENT: the final status comes from status-stream."))
public final class SendServiceApplication {

    private SendServiceApplication() {
    }

    public static void main(String[] args) {
        DeliveryService.SEND_SERVICE.main(SendServiceApplication.class, args);
    }
}
