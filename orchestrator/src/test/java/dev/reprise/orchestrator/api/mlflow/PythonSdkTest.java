package dev.reprise.orchestrator.api.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.security.TestCredentials;
import io.quarkus.test.common.http.TestHTTPResource;
import dev.reprise.orchestrator.execution.local.LocalExecutorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python client's pytest suite (sdk/python/tests) against this real orchestrator: part of every
 * {@code ./mvnw verify}, so CI runs it, and a failing pytest fails the build. With the local executor, so that a
 * trainer on the {@code local} queue runs under the real agent (test_trial_run.py: reprise.log_params through the
 * agent); the other queues stay shut.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class PythonSdkTest {

    @TestHTTPResource("/")
    URL server;

    @Test
    void thePythonClientsPytestSuitePassesAgainstTheRealOrchestrator() throws Exception {
        Path sdk = Path.of("..", "sdk", "python").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
                .directory(sdk.toFile()).redirectErrorStream(true)
                .redirectOutput(new File("target/python-sdk-pytest.log"));
        pb.environment().put("REPRISE_SERVER", server.toString());
        pb.environment().put("REPRISE_TOKEN", TestCredentials.ADMIN_TOKEN);
        pb.environment().put("PYTHONPATH", sdk.toString());
        pb.environment().remove("REPRISE_METRICS_FILE");
        Process p = pb.start();
        boolean ended = p.waitFor(8, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String log = java.nio.file.Files.readString(Path.of("target/python-sdk-pytest.log"), StandardCharsets.UTF_8);
        assertThat(ended).as("pytest ended within 8 minutes:\n" + log).isTrue();
        assertThat(p.exitValue()).as("pytest exit code (0 = all passed):\n" + log).isZero();
        assertThat(log).contains("passed");
    }
}
