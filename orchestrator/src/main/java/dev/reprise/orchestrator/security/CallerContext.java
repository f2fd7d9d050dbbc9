package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.api.filters.AccessFilter;
import dev.reprise.orchestrator.domain.security.Caller;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller of the current request, as {@link AccessFilter} found it; for resources and the audit log. */
@ApplicationScoped
public class CallerContext {

    static final String KEY = "reprise.caller";

    private final CurrentVertxRequest request;
    private final TrustedProxies proxies;

    public CallerContext(CurrentVertxRequest request, TrustedProxies proxies) {
        this.request = request;
        this.proxies = proxies;
    }

    /** The caller; only endpoints whose rule is PUBLIC run without one. */
    public Caller caller() {
        Caller caller = current() == null ? null : current().get(KEY);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller in this request");
        }
        return caller;
    }

    /** The client's address: the peer's, or the one a trusted proxy forwards (reprise.security.trusted-proxies). */
    public String clientAddress() {
        RoutingContext rc = current();
        return rc == null ? null : proxies.clientAddress(rc.request());
    }

    /** Whether the client reached the orchestrator over https (directly or as a trusted proxy says). */
    public boolean overHttps() {
        RoutingContext rc = current();
        return rc != null && proxies.https(rc.request());
    }

    /** Records the resolved caller on the request; only the access filter calls it. */
    public static void set(RoutingContext rc, Caller caller) {
        rc.put(KEY, caller);
    }

    private RoutingContext current() {
        return request.getCurrent();
    }
}
