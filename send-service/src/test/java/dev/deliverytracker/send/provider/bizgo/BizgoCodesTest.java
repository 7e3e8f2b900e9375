package dev.deliverytracker.send.provider.bizgo;

import dev.deliverytracker.send.provider.AnswerDisposition;
import dev.deliverytracker.send.provider.bizgo.BizgoCodes.Layer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BizgoCodesTest {

    private final BizgoCodes codes = BizgoCodes.load();

    @Test
    void theLayerIsPartOfTheCode() {
        assertThat(codes.classify(Layer.GATEWAY, "A301", 301).disposition()).isEqualTo(AnswerDisposition.REJECTED);
        assertThat(codes.classify(Layer.SERVICE, "A301", 200).disposition()).isEqualTo(AnswerDisposition.DUPLICATE);
        assertThat(codes.classify(Layer.GATEWAY, "A100", 500).disposition()).isEqualTo(AnswerDisposition.RETRY_IF_IDEMPOTENT);
        assertThat(codes.classify(Layer.SERVICE, "A100", 401).disposition()).isEqualTo(AnswerDisposition.MISCONFIGURED);
    }

    @Test
    void theTableSaysWhatEachAnswerMeans() {
        assertThat(codes.classify(Layer.GATEWAY, "A000", 200).disposition()).isEqualTo(AnswerDisposition.ACCEPTED);
        assertThat(codes.classify(Layer.GATEWAY, "A401", 401).disposition()).isEqualTo(AnswerDisposition.MISCONFIGURED);
        assertThat(codes.classify(Layer.GATEWAY, "A429", 429).disposition()).isEqualTo(AnswerDisposition.RATE_LIMITED);
        assertThat(codes.classify(Layer.SERVICE, "A020", 429).disposition()).isEqualTo(AnswerDisposition.RATE_LIMITED);
        assertThat(codes.classify(Layer.SERVICE, "A110", 403)).isEqualTo(new BizgoCodes.Entry(AnswerDisposition.MISCONFIGURED, "Blocked account"));
        assertThat(codes.classify(Layer.SERVICE, "A303", 400).disposition()).isEqualTo(AnswerDisposition.REJECTED);
        assertThat(codes.classify(Layer.SERVICE, "A920", 503).disposition()).isEqualTo(AnswerDisposition.RETRY_IF_IDEMPOTENT);
    }

    @Test
    void unknownCodesFollowTheHttpStatusAndAnUnknownDestinationCodeIsARefusal() {
        assertThat(codes.classify(Layer.SERVICE, "Z999", 503).disposition()).isEqualTo(AnswerDisposition.RETRY_IF_IDEMPOTENT);
        assertThat(codes.classify(Layer.SERVICE, "Z999", 429).disposition()).isEqualTo(AnswerDisposition.RATE_LIMITED);
        assertThat(codes.classify(Layer.SERVICE, "Z999", 400).disposition()).isEqualTo(AnswerDisposition.REJECTED);
        assertThat(codes.classify(Layer.GATEWAY, "Z999", 502).disposition()).isEqualTo(AnswerDisposition.RETRY_IF_IDEMPOTENT);
        assertThat(codes.classify(Layer.DESTINATION, "Z999", 503).disposition()).isEqualTo(AnswerDisposition.REJECTED);
    }
}
