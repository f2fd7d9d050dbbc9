package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.persistence.ServerSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Run tokens: each trial gets a token that names exactly its run and attempt, {@code rpr_run_RUN_ATTEMPT_MAC} with
 * MAC = HMAC-SHA256(key, "run:RUN:ATTEMPT"). Nothing is stored per run: the orchestrator recomputes the MAC. The key
 * comes from reprise.security.run-token-key or is generated once into the database, so every replica agrees.
 */
@ApplicationScoped
public class RunTokens {

    private static final Pattern FORMAT = Pattern.compile("rpr_run_(\\d{1,19})_(\\d{1,9})_([A-Za-z0-9_-]{43})");

    /** The run attempt a token names. */
    public record RunAttempt(long runId, int attempt) {
    }

    private final SecurityConfig config;
    private final ServerSecrets secrets;
    private volatile byte[] key;

    public RunTokens(SecurityConfig config, ServerSecrets secrets) {
        this.config = config;
        this.secrets = secrets;
    }

    public String issue(long runId, int attempt) {
        return TokenSecrets.RUN_PREFIX + runId + "_" + attempt + "_" + mac(runId, attempt);
    }

    /** The run attempt of a well-formed token with a valid MAC, else empty. */
    public Optional<RunAttempt> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        long runId;
        int attempt;
        try {
            runId = Long.parseLong(m.group(1));
            attempt = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return TokenSecrets.constantTimeEquals(mac(runId, attempt), m.group(3))
                ? Optional.of(new RunAttempt(runId, attempt)) : Optional.empty();
    }

    /** Whether the token is the one of exactly this run attempt. */
    public boolean matches(String token, long runId, int attempt) {
        return verify(token).map(a -> a.runId() == runId && a.attempt() == attempt).orElse(false);
    }

    private String mac(long runId, int attempt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] out = mac.doFinal(("run:" + runId + ":" + attempt).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            k = config.runTokenKey().filter(s -> !s.isBlank())
                    .map(s -> s.getBytes(StandardCharsets.UTF_8))
                    .orElseGet(() -> secrets.getOrCreate("run-token-key", 32));
            key = k;
        }
        return k;
    }
}
