package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.domain.error.InvalidRequestException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.notify.EventType;
import dev.reprise.orchestrator.domain.notify.WebhookRules;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.WebhookStore;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.AuditLog;
import dev.reprise.orchestrator.security.CallerContext;
import dev.reprise.orchestrator.security.TokenSecrets;
import io.vertx.core.http.HttpServerRequest;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A project's webhooks (docs/webhooks.md): HTTP endpoints that receive signed JSON (or Slack-compatible) messages
 * when subscribed events happen. The signing secret is in the creation's answer only; never again.
 */
@Path("/api/v1/projects/{project}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
public class WebhookResource {

    static final String SECRET_PREFIX = "rpr_whk_";
    static final int MAX_DELIVERIES = 500;

    @Schema(name = "WebhookRequest")
    public record WebhookRequest(
            @Schema(description = "The receiver: an http or https URL, not this orchestrator", required = true,
                    examples = "https://hooks.example.com/reprise") String url,
            @Schema(description = "Events to send: sweep.finished, sweep.failed, sweep.budget_reached, "
                    + "run.new_best, run.failed", required = true) List<String> events,
            @Schema(description = "json (default): the event itself; slack: a Slack-compatible {text} message with "
                    + "the event under 'reprise'", enumeration = {"json", "slack"}) String format) {
    }

    @Schema(name = "Webhook", description = "A webhook; secret only in the answer that created it")
    public record WebhookView(long id, String project, String url, List<String> events, String format,
            Instant createdAt, String createdBy,
            @Schema(description = "The HMAC-SHA256 key of the X-Reprise-Signature-256 header: in the creation's "
                    + "answer only, never shown again") String secret) {
        static WebhookView of(WebhookStore.Stored s, String secret) {
            return new WebhookView(s.id(), s.project(), s.url(), s.events(), s.format(), s.createdAt(),
                    s.createdBy(), secret);
        }
    }

    @Schema(name = "WebhookDelivery", description = "One event sent (or being sent) to one webhook")
    public record DeliveryView(long id, long webhookId, long eventId, String event,
            @Schema(enumeration = {"PENDING", "DELIVERED", "FAILED"}) String state, int attempts,
            @Schema(description = "When a PENDING delivery is tried next") Instant nextAttemptAt,
            @Schema(description = "HTTP status of the last answer, if there was one") Integer lastStatus,
            String lastError, Instant deliveredAt, Instant createdAt) {
        static DeliveryView of(WebhookStore.Delivery d) {
            return new DeliveryView(d.id(), d.webhookId(), d.eventId(), d.type(), d.state(), d.attempts(),
                    "PENDING".equals(d.state()) ? d.nextAttemptAt() : null, d.lastStatus(), d.lastError(),
                    d.deliveredAt(), d.createdAt());
        }
    }

    private final WebhookStore webhooks;
    private final CallerContext callers;
    private final AuditLog audit;

    public WebhookResource(WebhookStore webhooks, CallerContext callers, AuditLog audit) {
        this.webhooks = webhooks;
        this.callers = callers;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhook", summary = "Subscribe an HTTP endpoint to the project's events",
            description = "The answer holds the signing secret; it is never shown again. Every delivery is signed "
                    + "in X-Reprise-Signature-256: sha256= and the hex HMAC-SHA256 of the body.")
    @APIResponse(responseCode = "201", description = "Created, with the secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "422", description = "Bad URL (not http(s), this orchestrator), event or format",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.MAINTAINER)
    @Transactional
    public Response create(@Parameter(description = "A project name") @PathParam("project") String project,
            WebhookRequest request, @Context UriInfo uri, @Context HttpServerRequest http) {
        WebhookRequest r = request == null ? new WebhookRequest(null, null, null) : request;
        List<FieldError> errors = WebhookRules.validate(r.url(), r.events(), r.format(),
                target -> pointsAtSelf(target, uri, http));
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        WebhookRules.Target target = WebhookRules.target(r.url(), r.events(), r.format());
        String secret = TokenSecrets.generate(SECRET_PREFIX);
        long id = webhooks.create(project, target.url().toString(), target.events(), target.format(), secret,
                callers.caller().subject());
        // the audit names the receiver and events, never the secret
        audit.record(AuditLog.Action.WEBHOOK_CREATE, project, "webhook:" + id, Map.of("url",
                target.url().toString(), "events", target.events().stream().map(EventType::wireName).toList(),
                "format", target.format()));
        WebhookStore.Stored stored = webhooks.find(project, id).orElseThrow();
        return Response.created(uri.getBaseUriBuilder().path("api/v1/projects/{project}/webhooks/{id}")
                .build(project, id)).entity(WebhookView.of(stored, secret)).build();
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "The project's webhooks, without their secrets")
    @APIResponse(responseCode = "200", description = "The webhooks")
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.MEMBER)
    @Transactional
    public List<WebhookView> list(@PathParam("project") String project) {
        return webhooks.list(project).stream().map(s -> WebhookView.of(s, null)).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "removeWebhook", summary = "Remove a webhook and its deliveries")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such webhook in the project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.MAINTAINER)
    @Transactional
    public Response remove(@PathParam("project") String project, @PathParam("id") long id) {
        WebhookStore.Stored stored = webhooks.find(project, id)
                .orElseThrow(() -> new NotFoundException("webhook", id + " of project " + project));
        webhooks.remove(project, id);
        audit.record(AuditLog.Action.WEBHOOK_REMOVE, project, "webhook:" + id, Map.of("url", stored.url()));
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The webhook's deliveries, newest first",
            description = "PENDING ones wait for their next attempt; FAILED ones ran out of attempts (lastError "
                    + "says why).")
    @APIResponse(responseCode = "200", description = "The deliveries")
    @APIResponse(responseCode = "404", description = "No such webhook in the project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.PROJECT_PATH, role = Role.MEMBER)
    @Transactional
    public List<DeliveryView> deliveries(@PathParam("project") String project, @PathParam("id") long id,
            @Parameter(description = "PENDING, DELIVERED or FAILED") @QueryParam("state") String state,
            @Parameter(description = "At most this many (default 100, at most 500)") @QueryParam("limit")
            Integer limit) {
        if (state != null && !Set.of("PENDING", "DELIVERED", "FAILED").contains(state.toUpperCase(Locale.ROOT))) {
            throw new BadInputException("state", "must be PENDING, DELIVERED or FAILED");
        }
        if (limit != null && (limit < 1 || limit > MAX_DELIVERIES)) {
            throw new BadInputException("limit", "must be 1 to " + MAX_DELIVERIES);
        }
        webhooks.find(project, id).orElseThrow(() -> new NotFoundException("webhook", id + " of project " + project));
        return webhooks.deliveries(id, state == null ? null : state.toUpperCase(Locale.ROOT),
                limit == null ? 100 : limit).stream().map(DeliveryView::of).toList();
    }

    /**
     * Whether the URL reaches this orchestrator: the address the caller used to reach it, or this machine's own
     * address at the port it listens on.
     */
    static boolean pointsAtSelf(URI target, UriInfo uri, HttpServerRequest http) {
        int port = WebhookRules.port(target);
        String host = target.getHost().toLowerCase(Locale.ROOT);
        URI base = uri.getBaseUri();
        if (host.equals(base.getHost() == null ? "" : base.getHost().toLowerCase(Locale.ROOT))
                && port == WebhookRules.port(base)) {
            return true;
        }
        int localPort = http.localAddress() == null ? -1 : http.localAddress().port();
        return port == localPort && isLocal(host);
    }

    private static boolean isLocal(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host.startsWith("[") ? host.substring(1,
                    host.length() - 1) : host)) {
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
