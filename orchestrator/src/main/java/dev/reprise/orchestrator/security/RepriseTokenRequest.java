package dev.reprise.orchestrator.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A Reprise token (bearer or session cookie) waiting to be checked by {@link RepriseIdentityProvider}. */
public final class RepriseTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public RepriseTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
