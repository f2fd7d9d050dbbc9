package dev.reprise.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecurityStartupCheckTest {

    @Test
    void refusesToServeUnauthenticatedOnAnAddressOtherMachinesReach() {
        assertThat(SecurityStartupCheck.refusal(false, "0.0.0.0")).hasValueSatisfying(r -> assertThat(r)
                .contains("refusing to serve without authentication on 0.0.0.0")
                .contains("REPRISE_SECURITY_ENABLED"));
        assertThat(SecurityStartupCheck.refusal(false, "127.0.0.1")).isEmpty();
        assertThat(SecurityStartupCheck.refusal(true, "0.0.0.0")).isEmpty();
    }

    @Test
    void countsOnlyLoopbackAddressesAsLocal() {
        assertThat(SecurityStartupCheck.isLoopback("127.0.0.1")).isTrue();
        assertThat(SecurityStartupCheck.isLoopback("localhost")).isTrue();
        assertThat(SecurityStartupCheck.isLoopback("::1")).isTrue();
        assertThat(SecurityStartupCheck.isLoopback("0.0.0.0")).isFalse();
        assertThat(SecurityStartupCheck.isLoopback("10.1.2.3")).isFalse();
        assertThat(SecurityStartupCheck.isLoopback("no-such-host.invalid")).isFalse();
    }
}
