package dev.reprise.orchestrator.security;

import static io.restassured.RestAssured.given;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Projects, sweeps and credentials for security tests, made through the API as the bootstrap admin: API tokens of
 * each role, and JWTs signed with the test key pair whose public half the test profile trusts (no identity provider).
 */
public final class SecurityFixture {

    public static final String ISSUER = "https://idp.test.reprise.dev";
    public static final String AUDIENCE = "reprise-api";

    private SecurityFixture() {
    }

    public static String uniqueProject(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A random-search sweep with two trials in the project; runs stay QUEUED (the default queue holds them). */
    public static String sweepYaml(String project) {
        return "name: s-" + UUID.randomUUID().toString().substring(0, 12) + "\nproject: " + project
                + "\nimage: python:3.12-slim\nprogram: train.py\nmethod: random\nmax_trials: 2\n"
                + "parameters:\n  lr:\n    min: 0.001\n    max: 0.1\n";
    }

    /** Submits a sweep as the admin; returns its id. */
    public static long submitSweep(String project) {
        return given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(sweepYaml(project))
                .post("/api/v1/sweeps").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long firstRun(long sweepId) {
        return given().get("/api/v1/sweeps/" + sweepId + "/runs").then().statusCode(200).extract().jsonPath()
                .getLong("items[0].id");
    }

    /** A created token: its id and secret. */
    public record Token(long id, String secret) {
        public String bearer() {
            return "Bearer " + secret;
        }
    }

    /** Creates an API token as the admin. */
    public static Token token(String project, String role, String subject) {
        var json = given().contentType("application/json")
                .body(Map.of("project", project, "role", role, "subject", subject, "expiresIn", "1h"))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath();
        return new Token(json.getLong("id"), json.getString("token"));
    }

    /** A token whose expiry has passed (created, then backdated in the database). */
    public static Token expiredToken(String project) {
        Token t = token(project, "admin", "expired-user");
        execute("update api_tokens set expires_at = now() - interval '1 minute' where id = ?", t.id());
        return t;
    }

    public static Token revokedToken(String project) {
        Token t = token(project, "admin", "revoked-user");
        given().delete("/api/v1/tokens/" + t.id()).then().statusCode(204);
        return t;
    }

    public static void execute(String sql, Object... params) {
        AgroalDataSource ds = Arc.container().instance(AgroalDataSource.class).get();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWT as the test identity provider would issue: valid for 5 minutes, with these groups. */
    public static String jwt(String subject, Set<String> groups) {
        return claims(subject, groups).expiresIn(300).sign(privateKey());
    }

    public static String expiredJwt(String subject) {
        return claims(subject, Set.of("reprise:admin")).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign(privateKey());
    }

    public static String jwtFromIssuer(String issuer, String subject) {
        return Jwt.issuer(issuer).audience(AUDIENCE).subject(subject).groups(Set.of("reprise:admin"))
                .expiresIn(300).sign(privateKey());
    }

    public static String jwtForAudience(String audience, String subject) {
        return Jwt.issuer(ISSUER).audience(audience).subject(subject).groups(Set.of("reprise:admin"))
                .expiresIn(300).sign(privateKey());
    }

    /** A well-formed JWT signed by a key the server does not trust. */
    public static String jwtSignedByAnotherKey(String subject) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return claims(subject, Set.of("reprise:admin")).expiresIn(300).sign(g.generateKeyPair().getPrivate());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaimsBuilder claims(String subject, Set<String> groups) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).groups(groups);
    }

    private static PrivateKey privateKey() {
        try (InputStream in = SecurityFixture.class.getResourceAsStream("/oidc-test-private.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
