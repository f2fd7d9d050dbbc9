package dev.reprise.orchestrator.execution;

import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.security.TestCredentials;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The orchestrator as its users run it: the packaged application ({@code target/quarkus-app}) in a JVM of its own,
 * against the local services and a database of its own, so that a test can kill it at any moment and start a new
 * instance against the same database and executor, as after a crash or a rolling update.
 */
public final class OrchestratorProcess implements AutoCloseable {

    private static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "lifecycle-it");

    private final String name;
    private final String database;
    private final boolean ownsDatabase;
    private final Map<String, String> settings;
    private final Map<String, String> environment;
    private final int port;
    private Process process;
    private int instances;

    private OrchestratorProcess(String name, Map<String, String> settings, Map<String, String> environment) {
        this(name, "reprise_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), settings,
                environment, true);
    }

    private OrchestratorProcess(String name, String database, Map<String, String> settings,
            Map<String, String> environment, boolean ownsDatabase) {
        this.name = name;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.settings = settings;
        this.environment = environment;
        this.port = freePort();
    }

    /**
     * A new orchestrator with a fresh database; {@code settings} are configuration properties (the executor's),
     * {@code environment} extra environment variables (e.g. KUBECONFIG).
     */
    public static OrchestratorProcess create(String name, Map<String, String> settings,
            Map<String, String> environment) {
        if (!Files.isRegularFile(APP)) {
            throw new IllegalStateException(APP.toAbsolutePath() + " is missing: this test runs in the integration-"
                    + "test phase, after the application is packaged (./mvnw verify)");
        }
        OrchestratorProcess p = new OrchestratorProcess(name, settings, environment);
        p.admin("create database " + p.database);
        return p;
    }

    /**
     * A second replica: another process (its own port and log) on the same database and executor, as when two
     * replicas run for availability. Its {@link #close()} leaves the database to this one.
     */
    public OrchestratorProcess replica(String replicaName) {
        return new OrchestratorProcess(replicaName, database, settings, environment, false);
    }

    /** A JDBC connection to this orchestrator's own database, for checks the API does not offer. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database),
                System.getenv().getOrDefault("REPRISE_PG_USER", "reprise"),
                System.getenv().getOrDefault("REPRISE_PG_PASSWORD", "reprise"));
    }

    /** Whether the log of the current (or last) instance holds {@code text}. */
    public boolean logged(String text) {
        try {
            Path log = LOGS.resolve(name + "-" + instances + ".log");
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts a new instance (the previous one must be gone) and waits until it is ready. */
    public void start() {
        startNoWait();
        // generous: a loaded 2-core machine (CI, or seven builds at once) took 75 s to start one instance
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200)).until(this::ready);
    }

    /** Starts a new instance without waiting for it to be ready (to stop it while it starts up). */
    public void startNoWait() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("an instance is running");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx384m"));
        properties().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", APP.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        try {
            Files.createDirectories(LOGS);
            pb.redirectOutput(LOGS.resolve(name + "-" + (++instances) + ".log").toFile());
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the orchestrator", e);
        }
    }

    /** The crash: SIGKILL, no shutdown hook runs. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** A graceful stop: SIGTERM, as Kubernetes does on a rolling update. */
    public void stop() {
        if (process != null) {
            process.destroy();
            waitFor();
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public int instances() {
        return instances;
    }

    /** A request to this instance's API. */
    public RequestSpecification api() {
        return RestAssured.given().baseUri(baseUrl()).config(RestAssured.config().encoderConfig(
                EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .header("Authorization", TestCredentials.adminBearer());
    }

    @Override
    public void close() {
        kill();
        if (!ownsDatabase) {
            return;
        }
        try {
            admin("drop database if exists " + database + " with (force)");
        } catch (RuntimeException e) {
            // best effort: a leftover database does not affect other tests (each has its own)
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the orchestrator exited with " + process.exitValue() + "; see "
                    + LOGS.resolve(name + "-" + instances + ".log").toAbsolutePath());
        }
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.http.port", Integer.toString(port));
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("quarkus.datasource.jdbc.url", jdbcUrl(database));
        p.put("quarkus.log.file.enable", "false");
        p.put("reprise.s3.bucket", "reprise-test");
        // a consumer group of its own, reading from the end, like the test JVMs (application.properties)
        p.put("reprise.ingest.private-group", "true");
        p.put("reprise.ingest.auto-offset-reset", "latest");
        p.put("reprise.scheduler.interval", "200ms");
        p.put("reprise.scheduler.launch-backoff", "200ms");
        // authenticated like every deployment: the bootstrap admin token, which api() sends
        p.put("reprise.security.bootstrap-token", TestCredentials.ADMIN_TOKEN);
        p.putAll(settings);
        return p;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test database's server, with another database name. */
    private static String jdbcUrl(String db) {
        String test = System.getenv().getOrDefault("REPRISE_PG_TEST_URL",
                "jdbc:postgresql://127.0.0.1:5432/reprise_test");
        String base = test.contains("?") ? test.substring(0, test.indexOf('?')) : test;
        return base.substring(0, base.lastIndexOf('/') + 1) + db;
    }

    /** Creates and drops databases as the schema owner (the migration role): the application's role may not. */
    private void admin(String sql) {
        String user = System.getenv().getOrDefault("REPRISE_PG_MIGRATION_USER",
                System.getenv().getOrDefault("REPRISE_PG_USER", "reprise"));
        String password = System.getenv().getOrDefault("REPRISE_PG_MIGRATION_PASSWORD",
                System.getenv().getOrDefault("REPRISE_PG_PASSWORD", "reprise"));
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql.toLowerCase(Locale.ROOT) + ": " + e.getMessage(), e);
        }
    }
}
