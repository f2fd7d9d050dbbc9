package dev.reprise.orchestrator.api.filters;

import dev.reprise.orchestrator.api.problem.EdgeProblems;
import dev.reprise.orchestrator.domain.error.ProblemType;
import dev.reprise.orchestrator.security.RepriseAuthMechanism;
import dev.reprise.orchestrator.security.SecurityConfig;
import dev.reprise.orchestrator.security.TrustedProxies;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What keeps a browser from being used against the API (docs/security.md, "Browser protections"):
 * <ul>
 * <li>every response carries a Content-Security-Policy (scripts and styles only from this origin, no framing),
 * {@code X-Frame-Options: DENY}, {@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer};
 * <li>a state-changing {@code /api} request authenticated by the session cookie must carry {@value #CSRF_HEADER}
 * (a custom header, which another origin cannot send without a CORS preflight this server never grants) and, when
 * the browser names an Origin (or Referer), come from this origin or one of
 * {@code reprise.security.allowed-origins}; a sign-in must come from such an origin too. Requests with an
 * {@code Authorization: Bearer} header (CLI, automation, agents) are not affected: browsers never add one on their
 * own, and the cookie is not used when one is present.
 * </ul>
 */
@ApplicationScoped
public class BrowserProtection {

    public static final String CSRF_HEADER = "X-Reprise-CSRF";

    /**
     * Scripts only from this origin (the dashboard's ES modules and ECharts under /_static); inline style attributes
     * are allowed because ECharts' tooltips use them; no plugins, frames, base-URI changes or foreign form targets.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final TrustedProxies proxies;
    private final List<String> allowedOrigins;

    public BrowserProtection(TrustedProxies proxies, SecurityConfig config) {
        this.proxies = proxies;
        this.allowedOrigins = config.allowedOrigins().orElse(List.of()).stream()
                .map(o -> o.strip().toLowerCase(Locale.ROOT).replaceAll("/+$", "")).toList();
    }

    void register(@Observes Filters filters) {
        filters.register(this::headers, 3000);
        filters.register(this::crossSite, 2000);
    }

    private void headers(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> {
            MultiMap h = rc.response().headers();
            h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            h.set("X-Frame-Options", "DENY");
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
        });
        rc.next();
    }

    private void crossSite(RoutingContext rc) {
        Optional<String> refusal = refusal(rc.request(), rc.normalizedPath());
        if (refusal.isPresent()) {
            EdgeProblems.answer(rc, ProblemType.FORBIDDEN, refusal.get(), Map.of());
            return;
        }
        rc.next();
    }

    /** Why this request looks like a cross-site request forgery, or empty. */
    Optional<String> refusal(HttpServerRequest request, String path) {
        if (SAFE.contains(request.method()) || !path.startsWith("/api/") || bearer(request)) {
            return Optional.empty();
        }
        boolean cookie = request.getCookie(RepriseAuthMechanism.SESSION_COOKIE) != null;
        boolean signIn = path.equals("/api/v1/session");
        if (!cookie && !signIn) {
            return Optional.empty(); // no credentials at all: authentication answers 401
        }
        Optional<String> origin = origin(request);
        if (origin.isPresent() && !sameOrigin(origin.get(), request)) {
            return Optional.of("cross-origin request from " + origin.get() + " refused: the dashboard's session "
                    + "cookie only works from the orchestrator's own origin");
        }
        String marker = request.getHeader(CSRF_HEADER);
        if (cookie && (marker == null || marker.isBlank())) {
            return Optional.of("a change made with the session cookie must carry the " + CSRF_HEADER
                    + " header (the dashboard sends it); other clients send Authorization: Bearer TOKEN");
        }
        return Optional.empty();
    }

    /** A bearer token authenticates the request (the cookie is then ignored): no browser adds one by itself. */
    private static boolean bearer(HttpServerRequest request) {
        String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
        return auth != null && auth.regionMatches(true, 0, "bearer ", 0, 7) && auth.length() > 7;
    }

    /** The Origin header, else the origin of the Referer; empty when the browser sent neither. */
    private static Optional<String> origin(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.isBlank()) {
            return Optional.of(origin.strip());
        }
        String referer = request.getHeader("Referer");
        if (referer == null || referer.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(referer.strip());
            return Optional.of(uri.getScheme() + "://" + uri.getRawAuthority());
        } catch (IllegalArgumentException e) {
            return Optional.of(referer);
        }
    }

    private boolean sameOrigin(String origin, HttpServerRequest request) {
        String o = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        String host = proxies.host(request);
        if (host == null || "null".equals(o)) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(o);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getRawAuthority() == null) {
            return false;
        }
        String scheme = proxies.https(request) ? "https" : "http";
        if (!scheme.equals(uri.getScheme()) || uri.getHost() == null) {
            return false;
        }
        String defaultPort = "https".equals(scheme) ? "443" : "80";
        String originAuthority = uri.getHost() + ":" + (uri.getPort() == -1 ? defaultPort : uri.getPort());
        String h = host.toLowerCase(Locale.ROOT);
        boolean hasPort = h.lastIndexOf(':') > h.lastIndexOf(']');
        return originAuthority.equals(hasPort ? h : h + ":" + defaultPort);
    }
}
