package dev.deliverytracker.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginTokensTest {

    private static final String BILLING = "billing-token-0123456789";
    private static final String OPS = "ops-token-0123456789abcd";

    private final OriginTokens tokens = OriginTokens.parse(" billing = " + BILLING + " ,, *=" + OPS, "SOME_TOKENS");

    @Test
    void aTokenAuthenticatesAsItsOriginAndReadsOnlyThatOrigin() {
        OriginTokens.Check check = tokens.check("Bearer " + BILLING);
        assertThat(check).isEqualTo(new OriginTokens.Check.Allowed("billing"));
        OriginTokens.Check.Allowed billing = (OriginTokens.Check.Allowed) check;
        assertThat(billing.mayRead("billing")).isTrue();
        assertThat(billing.mayRead("auth")).isFalse();
        assertThat(billing.mayRead(null)).isFalse();
        assertThat(tokens.check("bearer " + BILLING)).isEqualTo(new OriginTokens.Check.Allowed("billing"));
    }

    @Test
    void theAnyOriginTokenReadsEveryOriginIncludingReportsWithoutASend() {
        OriginTokens.Check.Allowed ops = (OriginTokens.Check.Allowed) tokens.check("Bearer " + OPS);
        assertThat(ops.mayRead("billing")).isTrue();
        assertThat(ops.mayRead(null)).isTrue();
        assertThat(tokens.hasOrigin(OriginTokens.ANY_ORIGIN)).isTrue();
    }

    @Test
    void missingWrongAndOtherSchemesAreDeniedWithAReason() {
        assertThat(tokens.check(null)).isEqualTo(new OriginTokens.Check.Denied("missing bearer token"));
        assertThat(tokens.check(" ")).isEqualTo(new OriginTokens.Check.Denied("missing bearer token"));
        assertThat(tokens.check("Bearer " + BILLING + "x")).isEqualTo(new OriginTokens.Check.Denied("unknown token"));
        assertThat(tokens.check("Basic " + BILLING)).isInstanceOf(OriginTokens.Check.Denied.class);
        assertThat(OriginTokens.parse(null, "SOME_TOKENS").check("Bearer " + BILLING)).isInstanceOf(OriginTokens.Check.Denied.class);
    }

    @Test
    void malformedListsNameTheSetting() {
        assertThatThrownBy(() -> OriginTokens.parse("billing", "SOME_TOKENS")).hasMessageStartingWith("SOME_TOKENS").hasMessageContaining("'='");
        assertThatThrownBy(() -> OriginTokens.parse("billing=", "SOME_TOKENS")).hasMessageStartingWith("SOME_TOKENS");
        assertThatThrownBy(() -> OriginTokens.parse("billing=short", "SOME_TOKENS"))
                .hasMessageStartingWith("SOME_TOKENS").hasMessageContaining("'billing'").hasMessageContaining("16");
        assertThat(OriginTokens.parse("", "SOME_TOKENS").isEmpty()).isTrue();
    }
}
