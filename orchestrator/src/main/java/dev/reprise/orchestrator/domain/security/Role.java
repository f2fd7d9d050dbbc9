package dev.reprise.orchestrator.domain.security;

import java.util.Locale;
import java.util.Optional;

/**
 * A caller's role in a project, ordered: each role may do everything the roles before it may. viewer reads;
 * member submits and controls its own sweeps; maintainer controls any sweep and manages the project's tokens;
 * admin manages members and roles.
 */
public enum Role {
    VIEWER, MEMBER, MAINTAINER, ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The higher of two roles; null counts as no role. */
    public static Role max(Role a, Role b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.atLeast(b) ? a : b;
    }
}
