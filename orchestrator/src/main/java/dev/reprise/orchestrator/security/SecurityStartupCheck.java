package dev.reprise.orchestrator.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses to start without authentication (reprise.security.enabled=false) on an address other hosts can reach,
 * and says how to sign in when no way to get a first token is configured.
 */
@ApplicationScoped
public class SecurityStartupCheck {

    private static final Logger LOG = Logger.getLogger(SecurityStartupCheck.class);

    private final SecurityConfig config;
    private final String host;
    private final boolean oidc;

    public SecurityStartupCheck(SecurityConfig config, @ConfigProperty(name = "quarkus.http.host") String host,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidc) {
        this.config = config;
        this.host = host;
        this.oidc = oidc;
    }

    void check(@Observes StartupEvent event) {
        refusal(config.enabled(), host).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        if (!config.enabled()) {
            LOG.warnf("Authentication is OFF (reprise.security.enabled=false): every caller on %s is an admin", host);
            return;
        }
        boolean bootstrap = config.bootstrapToken().filter(s -> !s.isBlank()).isPresent()
                || config.localTokenFile().filter(s -> !s.isBlank()).isPresent();
        if (!bootstrap && !oidc) {
            LOG.warn("No bootstrap token (REPRISE_ADMIN_TOKEN) and OIDC off (REPRISE_OIDC_ENABLED): only API tokens "
                    + "that already exist can sign in. See docs/security.md to create the first one.");
        }
    }

    /** Why the service must not start with these settings, if it must not. */
    static java.util.Optional<String> refusal(boolean enabled, String host) {
        if (enabled || isLoopback(host)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("refusing to serve without authentication on " + host + ", which other "
                + "machines can reach: set reprise.security.enabled=true (REPRISE_SECURITY_ENABLED) or bind to "
                + "127.0.0.1 (REPRISE_HTTP_HOST)");
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
