package dev.reprise.orchestrator.domain.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void hasEachRoleUpToItsOwnInItsProjectsOnly() {
        Caller c = new Caller("alice", Caller.Kind.OIDC, null, Map.of("vision", Role.MAINTAINER), null, "oidc:alice");
        assertThat(c.has(Role.MEMBER, "vision")).isTrue();
        assertThat(c.has(Role.ADMIN, "vision")).isFalse();
        assertThat(c.has(Role.VIEWER, "nlp")).isFalse();
        assertThat(c.visibleProjects()).contains(Set.of("vision"));
    }

    @Test
    void aGlobalRoleAppliesToEveryProject() {
        Caller c = new Caller("root", Caller.Kind.BOOTSTRAP, Role.ADMIN, Map.of(), null, "bootstrap");
        assertThat(c.has(Role.ADMIN, "anything")).isTrue();
        assertThat(c.visibleProjects()).isEmpty();
    }

    @Test
    void aRunTokenHasNoProjectRole() {
        Caller c = new Caller("run:1/0", Caller.Kind.RUN, null, Map.of(),
                new Caller.RunScope(1, 0, "vision", null), "run:1/0");
        assertThat(c.has(Role.VIEWER, "vision")).isFalse();
        assertThat(c.hasSomewhere(Role.VIEWER)).isFalse();
    }
}
