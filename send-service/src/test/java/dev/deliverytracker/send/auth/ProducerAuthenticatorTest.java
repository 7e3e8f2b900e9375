package dev.deliverytracker.send.auth;

import dev.deliverytracker.send.auth.ProducerAuthenticator.Result;
import dev.deliverytracker.support.OriginTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerAuthenticatorTest {

    private static final String BILLING_TOKEN = "billing-token-0123456789";
    private static final OriginTokens TOKENS = OriginTokens.parse("billing=" + BILLING_TOKEN + ",auth=auth-token-0123456789abc",
            "SEND_SERVICE_CLIENT_TOKENS");

    @Test
    void aKnownTokenYieldsItsOriginAndNothingElseDoes() {
        ProducerAuthenticator authenticator = new ProducerAuthenticator(TOKENS, false);
        assertThat(authenticator.authenticate("Bearer " + BILLING_TOKEN)).isEqualTo(new Result.Authenticated("billing"));
        assertThat(authenticator.authenticate(null)).isInstanceOf(Result.Refused.class);
        assertThat(authenticator.authenticate("")).isInstanceOf(Result.Refused.class);
        assertThat(authenticator.authenticate("Bearer wrong-token-0123456789")).isInstanceOf(Result.Refused.class);
        assertThat(authenticator.authenticate(BILLING_TOKEN)).as("without the Bearer scheme").isInstanceOf(Result.Refused.class);
        Result refused = authenticator.authenticate("Bearer wrong-token-0123456789");
        assertThat(((Result.Refused) refused).reason()).doesNotContain("wrong-token");
    }

    @Test
    void anonymousRequestsPassOnlyWhereAllowedAndAWrongTokenIsRefusedEvenThen() {
        ProducerAuthenticator open = new ProducerAuthenticator(TOKENS, true);
        assertThat(open.authenticate(null)).isEqualTo(new Result.Authenticated(null));
        assertThat(open.authenticate("  ")).isEqualTo(new Result.Authenticated(null));
        assertThat(open.authenticate("Bearer " + BILLING_TOKEN)).isEqualTo(new Result.Authenticated("billing"));
        assertThat(open.authenticate("Bearer wrong-token-0123456789")).isInstanceOf(Result.Refused.class);
    }
}
