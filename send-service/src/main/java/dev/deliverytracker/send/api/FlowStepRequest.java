package dev.deliverytracker.send.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** One channel of a message's flow. */
@Serdeable
@Schema(description = "One channel of the flow")
public record FlowStepRequest(
        @Schema(description = "ALIMTALK, SMS or LMS", example = "ALIMTALK") @Nullable String channel,
        @Schema(description = "Approved KakaoTalk template code (ALIMTALK)", example = "ORDER_SHIPPED") @Nullable String templateCode,
        @Schema(description = "KakaoTalk sender profile key (ALIMTALK); default from configuration") @Nullable String senderKey,
        @Schema(description = "Text, with placeholders written as a hash sign and the variable name in braces (see README). SMS: at most 90 bytes in EUC-KR; LMS: 2,000 bytes", example = "Your order has shipped") @Nullable String text,
        @Schema(description = "Registered sender number (SMS, LMS); default from configuration", example = "0212345678") @Nullable String from,
        @Schema(description = "LMS subject") @Nullable String title) {
}
