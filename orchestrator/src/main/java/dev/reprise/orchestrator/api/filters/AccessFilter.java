package dev.reprise.orchestrator.api.filters;

import dev.reprise.orchestrator.security.CallerResolver;
import dev.reprise.orchestrator.security.AccessTargets;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.orchestrator.security.RateLimiter;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.SecurityConfig;
import dev.reprise.orchestrator.api.problem.ProblemMapper;
import dev.reprise.orchestrator.domain.error.ProblemType;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one place where every REST call is authorised: authenticates the caller (Reprise token, session cookie or OIDC
 * bearer token), then checks the endpoint's {@link Access} rule against the caller's role in the project of what
 * the call addresses. An endpoint without a rule is refused. Answers 401 (no or bad credentials), 403 (wrong role or
 * project) or 429 (submission rate) as problem documents.
 */
public class AccessFilter {

    private static final Logger LOG = Logger.getLogger(AccessFilter.class);
    private static final Caller UNSECURED = new Caller("anonymous", Caller.Kind.BOOTSTRAP, Role.ADMIN, Map.of(),
            null, "anonymous");

    private final Instance<CurrentIdentityAssociation> identities;
    private final CallerResolver callers;
    private final AccessTargets targets;
    private final RateLimiter rateLimiter;
    private final SecurityConfig config;

    public AccessFilter(Instance<CurrentIdentityAssociation> identities, CallerResolver callers,
            AccessTargets targets, RateLimiter rateLimiter, SecurityConfig config) {
        this.identities = identities;
        this.callers = callers;
        this.targets = targets;
        this.rateLimiter = rateLimiter;
        this.config = config;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Uni<Response> authorise(ContainerRequestContext request, ResourceInfo resource, RoutingContext rc) {
        Method method = resource.getResourceMethod();
        Access rule = method == null ? null : method.getAnnotation(Access.class);
        String path = request.getUriInfo().getPath();
        if (rule == null) {
            LOG.errorf("Refused %s %s: the endpoint has no @Access rule", request.getMethod(), path);
            return Uni.createFrom().item(ProblemMapper.problem(ProblemType.FORBIDDEN,
                    "this endpoint has no access rule; it is refused until it has one", path));
        }
        if (!config.enabled()) {
            CallerContext.set(rc, UNSECURED);
            return Uni.createFrom().nullItem();
        }
        if (rule.on() == Access.Scope.PUBLIC) {
            return Uni.createFrom().nullItem();
        }
        return identities.get().getDeferredIdentity()
                .onItem().transformToUni(identity -> blocking(() -> decide(rule, identity, request, rc, path)))
                .onFailure(AuthenticationFailedException.class)
                .recoverWithItem(e -> unauthorized("the credentials are invalid, expired or revoked", path));
    }

    private Response decide(Access rule, SecurityIdentity identity, ContainerRequestContext request,
            RoutingContext rc, String path) {
        Optional<Caller> resolved = callers.resolve(identity);
        if (resolved.isEmpty()) {
            return unauthorized("authentication required: send Authorization: Bearer TOKEN", path);
        }
        Caller caller = resolved.get();
        Optional<String> denial = denial(rule, caller, request);
        if (denial.isPresent()) {
            return ProblemMapper.problem(ProblemType.FORBIDDEN, denial.get(), path);
        }
        if (rule.rateLimited()) {
            Optional<Duration> wait = rateLimiter.acquire(caller.credentialId());
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                return Response.fromResponse(ProblemMapper.problem(ProblemType.TOO_MANY_REQUESTS,
                        "too many submissions with this credential; retry in " + seconds + " s", path))
                        .header(HttpHeaders.RETRY_AFTER, seconds).build();
            }
        }
        CallerContext.set(rc, caller);
        return null;
    }

    /** Why the caller may not make this call, or empty if it may. */
    private Optional<String> denial(Access rule, Caller caller, ContainerRequestContext request) {
        if (caller.kind() == Caller.Kind.RUN) {
            return runTokenDenial(rule, caller, request);
        }
        Role role = rule.role();
        return switch (rule.on()) {
            case PUBLIC, AUTHENTICATED, IN_ENDPOINT -> Optional.empty();
            case ANY_PROJECT -> caller.hasSomewhere(role) ? Optional.empty()
                    : Optional.of("needs the " + role.wireName() + " role in a project");
            case ALL_PROJECTS -> caller.globalRole() != null && caller.globalRole().atLeast(role) ? Optional.empty()
                    : Optional.of("needs the " + role.wireName() + " role in every project");
            case PROJECT_PATH -> inProject(rule, caller, pathParam(request, "project"), null, null);
            case SWEEP, RUN, TOKEN -> {
                for (String id : rule.ids()) {
                    Optional<String> denied = targets.find(rule.on(), pathParam(request, id))
                            .map(t -> inProject(rule, caller, t.project(), t.owner(), t.rank()))
                            // nothing there: the endpoint answers 404, but only to callers with a role somewhere
                            .orElseGet(() -> caller.hasSomewhere(Role.VIEWER) ? Optional.empty()
                                    : Optional.of("needs a role in a project"));
                    if (denied.isPresent()) {
                        yield denied;
                    }
                }
                yield Optional.empty();
            }
        };
    }

    /**
     * The caller needs the rule's role in the project; owning the target (same subject) lowers that to the rule's
     * owner role, but never below the target's rank: the role is the credential's, not the subject's.
     */
    private static Optional<String> inProject(Access rule, Caller caller, String project, String owner,
            Role rank) {
        if (caller.has(rule.role(), project)) {
            return Optional.empty();
        }
        if (owner != null && owner.equals(caller.subject())
                && caller.has(Role.max(rule.ownerRole(), rank), project)) {
            return Optional.empty();
        }
        String needed = rule.ownerRole() == Role.ADMIN || owner == null ? rule.role().wireName()
                : rule.role().wireName() + " (or " + rule.ownerRole().wireName() + " as its owner)";
        return Optional.of("needs the " + needed + " role in project '" + project + "'");
    }

    /** A run token may only act for its own run (and attempt) and fetch its own run's data snapshot. */
    private static Optional<String> runTokenDenial(Access rule, Caller caller, ContainerRequestContext request) {
        if (!rule.runToken()) {
            return Optional.of("a run token may only report for its run and fetch its data");
        }
        if (rule.on() == Access.Scope.IN_ENDPOINT) {
            return Optional.empty(); // the endpoint holds the token to its own run
        }
        if (rule.on() == Access.Scope.RUN) {
            String attempt = pathParam(request, "attempt");
            boolean own = String.valueOf(caller.run().runId()).equals(pathParam(request, rule.ids()[0]))
                    && (attempt == null || String.valueOf(caller.run().attempt()).equals(attempt));
            return own ? Optional.empty() : Optional.of("a run token may only act for its own run attempt");
        }
        String ref = pathParam(request, "ref");
        String snapshot = caller.run().snapshotId();
        return snapshot != null && snapshot.equals(ref) ? Optional.empty()
                : Optional.of("a run token may only fetch the data snapshot of its own run");
    }

    private static String pathParam(ContainerRequestContext request, String name) {
        return request.getUriInfo().getPathParameters().getFirst(name);
    }

    private static Response unauthorized(String detail, String path) {
        return Response.fromResponse(ProblemMapper.problem(ProblemType.UNAUTHORIZED, detail, path))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"reprise\"").build();
    }

    /** Database lookups never run on the event loop (streaming endpoints filter there). */
    private static Uni<Response> blocking(java.util.function.Supplier<Response> work) {
        if (Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().item(work);
    }
}
