package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.api.problem.ProblemMapper;
import dev.reprise.orchestrator.domain.error.ProblemType;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.ApiTokens;
import dev.reprise.orchestrator.security.AuditLog;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.orchestrator.security.RepriseAuthMechanism;
import dev.reprise.orchestrator.security.SignInLimiter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dashboard's sign-in: a token is exchanged for an HttpOnly, SameSite=Strict session cookie (browsers cannot send
 * headers with EventSource), plus who-am-I for any client.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "security")
public class SessionResource {

    private final ApiTokens tokens;
    private final CallerContext callers;
    private final AuditLog audit;
    private final SignInLimiter signIns;

    public SessionResource(ApiTokens tokens, CallerContext callers, AuditLog audit, SignInLimiter signIns) {
        this.tokens = tokens;
        this.callers = callers;
        this.audit = audit;
        this.signIns = signIns;
    }

    @POST
    @Path("/session")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "login", summary = "Exchange a token for a dashboard session cookie")
    @APIResponse(responseCode = "200", description = "Signed in; the session is in the reprise_session cookie",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SecurityViews.SessionView.class)))
    @APIResponse(responseCode = "401", description = "Unknown, expired or revoked token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many failed sign-ins from this client; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.PUBLIC)
    public Response login(SecurityViews.LoginRequest request, UriInfo uri) {
        String client = callers.clientAddress();
        Optional<Duration> wait = signIns.waiting(client);
        if (wait.isPresent()) {
            return tooManySignIns(wait.get(), uri);
        }
        String token = request == null || request.token() == null ? null : request.token().strip();
        ApiTokens.Created session = tokens.login(token).orElse(null);
        if (session == null) {
            signIns.failed(client);
            return Response.fromResponse(ProblemMapper.problem(ProblemType.UNAUTHORIZED,
                    "that token is unknown, expired or revoked", uri.getPath())).build();
        }
        Caller caller = new Caller(session.token().subject, Caller.Kind.API_TOKEN, null, Map.of(), null,
                session.token().parentId == null ? "bootstrap" : "token:" + session.token().parentId);
        audit.record(caller, callers.clientAddress(), AuditLog.Action.SESSION_LOGIN, null,
                "session:" + session.token().id, Map.of());
        long maxAge = Math.max(1, Duration.between(Instant.now(), session.token().expiresAt).toSeconds());
        NewCookie cookie = new NewCookie.Builder(RepriseAuthMechanism.SESSION_COOKIE).value(session.secret())
                .path("/").httpOnly(true).secure(callers.overHttps())
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) Math.min(Integer.MAX_VALUE, maxAge)).build();
        return Response.ok(new SecurityViews.SessionView(session.token().subject, session.token().expiresAt))
                .cookie(cookie).build();
    }

    private static Response tooManySignIns(Duration wait, UriInfo uri) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Response.fromResponse(ProblemMapper.problem(ProblemType.TOO_MANY_REQUESTS,
                "too many failed sign-ins from this address; retry in " + seconds + " s", uri.getPath()))
                .header(jakarta.ws.rs.core.HttpHeaders.RETRY_AFTER, seconds).build();
    }

    @DELETE
    @Path("/session")
    @Operation(operationId = "logout", summary = "End the dashboard session")
    @APIResponse(responseCode = "204", description = "Signed out; the cookie is cleared")
    @Access(on = Access.Scope.AUTHENTICATED)
    public Response logout(@CookieParam(RepriseAuthMechanism.SESSION_COOKIE) String session) {
        Caller caller = callers.caller();
        tokens.logout(session, caller.subject());
        audit.record(AuditLog.Action.SESSION_LOGOUT, null, caller.credentialId(), Map.of());
        NewCookie cleared = new NewCookie.Builder(RepriseAuthMechanism.SESSION_COOKIE).value("").path("/")
                .httpOnly(true).secure(callers.overHttps()).sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.noContent().cookie(cleared).build();
    }

    @GET
    @Path("/whoami")
    @Operation(operationId = "whoami", summary = "Who the request's credentials belong to, with their roles")
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SecurityViews.CallerView.class)))
    @Access(on = Access.Scope.AUTHENTICATED)
    public SecurityViews.CallerView whoami() {
        return SecurityViews.CallerView.of(callers.caller());
    }
}
