package dev.reprise.orchestrator.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The tokens that act as a global admin: reprise.security.bootstrap-token, and in local mode the token kept in
 * reprise.security.local-token-file (created at first start, readable only by its owner).
 */
@ApplicationScoped
public class LocalAdminToken {

    private static final Logger LOG = Logger.getLogger(LocalAdminToken.class);
    static final int MIN_LENGTH = 32;

    private final Optional<String> bootstrap;
    private final Optional<String> local;
    private final Optional<String> localFile;

    public LocalAdminToken(SecurityConfig config) {
        this.bootstrap = config.bootstrapToken().map(String::strip).filter(s -> !s.isEmpty());
        bootstrap.ifPresent(t -> {
            if (t.length() < MIN_LENGTH) {
                throw new IllegalStateException("reprise.security.bootstrap-token must be at least " + MIN_LENGTH
                        + " characters");
            }
        });
        this.localFile = config.localTokenFile().map(String::strip).filter(s -> !s.isEmpty());
        this.local = localFile.map(Path::of).map(LocalAdminToken::readOrCreate);
    }

    void announce(@Observes StartupEvent event) {
        // the token itself stays out of the log: ./reprise up prints it from the file
        localFile.ifPresent(f -> LOG.infof("Local admin token in %s (readable only by this user)", f));
    }

    /** Whether the token is one of the admin tokens. */
    public boolean matches(String token) {
        return bootstrap.map(b -> TokenSecrets.constantTimeEquals(b, token)).orElse(false)
                || local.map(l -> TokenSecrets.constantTimeEquals(l, token)).orElse(false);
    }

    static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (token.length() < MIN_LENGTH) {
                    throw new IllegalStateException("the local token file " + file + " holds no token of at least "
                            + MIN_LENGTH + " characters; delete it to have a new one generated");
                }
                return token;
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            String token = TokenSecrets.generate(TokenSecrets.LOCAL_PREFIX);
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
                return readOrCreate(file);
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local token file " + file, e);
        }
    }
}
