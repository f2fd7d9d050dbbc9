package dev.reprise.agent.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.agent.AgentOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataOptionsTest {

    private static final String ID = "sha256:" + "0f".repeat(32);

    @Test
    void hasNoDataSnapshotUnlessAUrlIsGiven() throws Exception {
        AgentOptions o = AgentOptions.parse(List.of("--run-id", "1", "--", "true"), Map.of("REPRISE_DATA_DIR", "/x"));

        assertThat(o.data().enabled()).isFalse();
    }

    @Test
    void readsTheSnapshotFromTheEnvironmentAndOptionsOverrideIt() throws Exception {
        Map<String, String> env = Map.of("REPRISE_DATA_URL", "http://orch:8080/api/v1/snapshots/" + ID + "/download",
                "REPRISE_DATA_SNAPSHOT", ID, "REPRISE_DATA_CACHE", "/var/cache/reprise");

        AgentOptions fromEnv = AgentOptions.parse(List.of("--run-id", "1", "--", "true"), env);
        AgentOptions overridden = AgentOptions.parse(List.of("--run-id", "1", "--data-manifest-url",
                "https://o/api/v1/snapshots/x/download", "--data-dir=/scratch/d", "--", "true"), env);

        assertThat(fromEnv.data()).isEqualTo(new DataOptions(
                Optional.of(URI.create("http://orch:8080/api/v1/snapshots/" + ID + "/download")), Optional.of(ID),
                Path.of("/data"), Optional.of(Path.of("/var/cache/reprise"))));
        assertThat(overridden.data().manifestUrl()).contains(URI.create("https://o/api/v1/snapshots/x/download"));
        assertThat(overridden.data().dir()).isEqualTo(Path.of("/scratch/d"));
    }

    @Test
    void refusesAUrlThatIsNotHttpAndAnIdThatIsNotAnId() {
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id", "1", "--data-manifest-url", "file:///etc",
                "--", "true"), Map.of())).hasMessageContaining("must be an http(s) URL");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id", "1", "--", "true"),
                Map.of("REPRISE_DATA_URL", "http://o/x", "REPRISE_DATA_SNAPSHOT", "digits:latest")))
                .hasMessageContaining("REPRISE_DATA_SNAPSHOT must be a snapshot id");
    }

    @Test
    void findsTheSnapshotIdInTheDownloadUrl() {
        assertThat(DataStage.idInPath(URI.create("http://o/api/v1/snapshots/" + ID + "/download"))).contains(ID);
        assertThat(DataStage.idInPath(URI.create("http://o/api/v1/snapshots/digits/download"))).isEmpty();
    }
}
