package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.domain.security.Caller;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks Reprise tokens against the configuration and the database; the identity carries the {@link Caller}. */
@ApplicationScoped
public class RepriseIdentityProvider implements IdentityProvider<RepriseTokenRequest> {

    /** The identity attribute holding the {@link Caller}. */
    public static final String CALLER_ATTRIBUTE = "reprise.caller";

    private final TokenAuthenticator authenticator;

    public RepriseIdentityProvider(TokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Class<RepriseTokenRequest> getRequestType() {
        return RepriseTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RepriseTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            Caller caller = authenticator.authenticate(request.token())
                    .orElseThrow(() -> new AuthenticationFailedException("unknown, expired or revoked token"));
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(caller.subject()))
                    .addAttribute(CALLER_ATTRIBUTE, caller)
                    .build();
        });
    }
}
