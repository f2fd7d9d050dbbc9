package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.trial.TrialVariable;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A trial as the attacker (docs/security.md, "the trial as an attacker"): its command tries to read the admin
 * token's file, prints its whole environment and lists the other attempts' directories. It must find none of the
 * orchestrator's credentials.
 */
@QuarkusTest
@TestProfile(IsolatedLocalExecutorProfile.class)
class TrialIsolationAttackTest {

    /** What a trial may see besides the contract's REPRISE_* variables and its sweep's env. */
    private static final Set<String> ALLOWED = Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "HOME", "TMPDIR",
            "USER", "LOGNAME", "PWD", "SHLVL", "_", "PYTHONUNBUFFERED", "ATTACK");

    private static int submit(String script) {
        return submit(script, "");
    }

    private static int submit(String script, String moreEnv) {
        String yaml = "name: attack-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: local\n"
                + "command: [sh, -c, '" + script + "']\nmethod: grid\nqueue: local\nparallelism: 1\n"
                + "env: {ATTACK: '" + Path.of(IsolatedLocalExecutorProfile.TOKEN_FILE).toAbsolutePath() + "'" + moreEnv
                + "}\n"
                + "parameters:\n  x: {value: 1}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse post(String script, String moreEnv) {
        String yaml = "name: attack-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: local\n"
                + "command: [sh, -c, '" + script + "']\nmethod: grid\nqueue: local\nparallelism: 1\n"
                + "env: {ATTACK: x" + moreEnv + "}\nparameters:\n  x: {value: 1}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then();
    }

    private static Map<String, Object> onlyRun(int sweepId) {
        List<Map<String, Object>> runs = given().get("/api/v1/sweeps/{id}/runs", sweepId).then().statusCode(200)
                .extract().jsonPath().getList("items");
        return runs.get(0);
    }

    private static String output(int sweepId) throws Exception {
        await().atMost(Duration.ofSeconds(120)).until(() -> List.of("SUCCEEDED", "FAILED")
                .contains(onlyRun(sweepId).get("state")));
        Path log = Path.of(IsolatedLocalExecutorProfile.WORK_DIR, onlyRun(sweepId).get("id") + "-0", "output.log");
        return Files.readString(log);
    }

    @Test
    void aTrialThatPrintsItsEnvironmentFindsNoneOfTheOrchestratorsVariables() throws Exception {
        String out = output(submit("echo ENV-BEGIN; env; echo ENV-END"));
        Map<String, String> env = new HashMap<>();
        out.substring(out.indexOf("ENV-BEGIN\n") + 10, out.indexOf("ENV-END")).lines()
                .filter(l -> l.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
                .forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        Set<String> contract = Arrays.stream(TrialVariable.values()).map(TrialVariable::variable)
                .collect(Collectors.toSet());

        assertThat(env).containsKey("REPRISE_RUN_ID")
                .doesNotContainKeys("REPRISE_PG_PASSWORD", "REPRISE_S3_SECRET_KEY", "REPRISE_LOCAL_TOKEN_FILE",
                        "KUBECONFIG", "JAVA_HOME", "REPRISE_ADMIN_TOKEN", "MAVEN_OPTS")
                // the agent keeps its credentials to itself
                .doesNotContainKeys("REPRISE_RUN_TOKEN", "REPRISE_KAFKA_PASSWORD");
        assertThat(env.keySet()).allMatch(k -> ALLOWED.contains(k) || contract.contains(k),
                "only pass-through, the trial's own and the contract's variables");
        assertThat(env.values()).noneMatch(v -> System.getenv().entrySet().stream()
                .filter(e -> e.getKey().contains("PASSWORD") || e.getKey().contains("SECRET"))
                // 8+ characters: the local services' migration password is the word "reprise", which the agents'
                // Kafka username (reprise-agent) contains
                .anyMatch(e -> v.contains(e.getValue()) && e.getValue().length() >= 8));
        assertThat(env.get("HOME")).contains(IsolatedLocalExecutorProfile.WORK_DIR.replace("target/", ""));
    }

    @Test
    void aTrialCannotReadTheAdminTokenFileNorListOtherAttempts() throws Exception {
        String admin = Files.readString(Path.of(IsolatedLocalExecutorProfile.TOKEN_FILE)).strip();

        String out = output(submit("id -un; cat \"$ATTACK\" && echo STOLE-THE-TOKEN; ls \"$REPRISE_TRIAL_DIR/..\" "
                + "&& echo LISTED-OTHER-TRIALS; echo ATTACK-DONE"));

        assertThat(out).contains("nobody", "ATTACK-DONE").doesNotContain(admin)
                .doesNotContain("STOLE-THE-TOKEN").doesNotContain("LISTED-OTHER-TRIALS");
    }

    @Test
    void whatATrialPrintsOfItsOwnSecretsIsStoredMasked() throws Exception {
        int sweep = submit("echo leak:$HF_TOKEN:end", ", HF_TOKEN: 'hf-q9w8e7r6t5y4u3i2'");
        assertThat(output(sweep)).contains("leak:hf-q9w8e7r6t5y4u3i2:end");
        Object run = onlyRun(sweep).get("id");

        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/v1/runs/{id}/logs", run).then()
                .extract().jsonPath().getList("items.text", String.class).stream().anyMatch(t -> t.startsWith("leak:")));
        assertThat(given().get("/api/v1/runs/{id}/logs", run).then().extract().jsonPath()
                .getList("items.text", String.class)).contains("leak:[redacted]:end")
                .noneMatch(t -> t.contains("hf-q9w8e7r6t5y4u3i2"));
    }

    @Test
    void aSweepNamingASecretTheProjectDoesNotHaveIsRefusedAtItsEnvVariable() {
        post("echo never", ", HF_TOKEN: {secret: no-such-secret, key: token}").statusCode(422)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("env.HF_TOKEN"));
    }

    @Test
    void aTrialGetsItsSecretFromTheStoreAndWhatItPrintsOfItIsStoredMasked() throws Exception {
        String name = "hf-" + UUID.randomUUID().toString().substring(0, 8);
        String value = "hf_" + UUID.randomUUID().toString().replace("-", "");
        given().contentType("application/json").body(Map.of("data", Map.of("token", value)))
                .put("/api/v1/projects/default/secrets/{name}", name).then().statusCode(200);

        int sweep = post("echo leak:$HF_TOKEN:end", ", HF_TOKEN: {secret: " + name + ", key: token}").statusCode(201)
                .extract().path("id");
        assertThat(output(sweep)).contains("leak:" + value + ":end");
        Object run = onlyRun(sweep).get("id");

        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/v1/runs/{id}/logs", run).then()
                .extract().jsonPath().getList("items.text", String.class).stream().anyMatch(t -> t.startsWith("leak:")));
        assertThat(given().get("/api/v1/runs/{id}/logs", run).then().extract().jsonPath()
                .getList("items.text", String.class)).contains("leak:[redacted]:end").noneMatch(t -> t.contains(value));
        // the sweep, its runs and the provenance name the secret, never its value
        assertThat(given().get("/api/v1/sweeps/{id}", sweep).then().statusCode(200).extract().asString())
                .contains(name).doesNotContain(value);
        assertThat(given().get("/api/v1/runs/{id}/provenance", run).then().statusCode(200).extract().asString())
                .doesNotContain(value);
    }

    @Test
    void attemptDirectoriesArePrivate() throws Exception {
        int sweep = submit("echo private > \"$REPRISE_OUTPUT_DIR/model.txt\"");
        output(sweep);
        Path dir = Path.of(IsolatedLocalExecutorProfile.WORK_DIR, onlyRun(sweep).get("id") + "-0");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("output"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx--x--x");
        assertThat(Files.getOwner(dir.resolve("output")).getName()).isEqualTo("nobody");
    }

    @Test
    void aTrialFindsNotTheOrchestratorsKafkaPasswordInItsEnvironmentNorInItsAgents() throws Exception {
        String orchestratorPassword = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("reprise.kafka.password", String.class);
        assertThat(orchestratorPassword).as("the orchestrator's Kafka password (REPRISE_KAFKA_PASSWORD)")
                .hasSizeGreaterThanOrEqualTo(16);

        // its own environment, then its agent's (its parent process: same user), where the agents' credential is
        String out = output(submit("env; cat /proc/$PPID/environ | tr \"\\0\" \"\\n\"; echo; echo ATTACK-DONE"));

        assertThat(out).contains("ATTACK-DONE", "REPRISE_KAFKA_USERNAME=reprise-agent")
                .doesNotContain(orchestratorPassword)
                .doesNotContain("REPRISE_KAFKA_USERNAME=reprise-orchestrator");
    }
}
