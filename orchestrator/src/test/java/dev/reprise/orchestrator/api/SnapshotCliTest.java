package dev.reprise.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.storage.ObjectStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise data push|ls|show|pull|rm} against the real orchestrator and the real S3 server. */
@QuarkusTest
class SnapshotCliTest {

    private static final Pattern PUSHED = Pattern.compile(
            "Pushed (\\S+) = (sha256:[0-9a-f]{64}) \\((\\d+) files?, .*, uploaded (\\d+) new blobs?, .*\\)\n");

    @TestHTTPResource("/")
    URL server;

    @Inject
    ObjectStore store;

    @TempDir
    Path tmp;

    private DataSnapshots.Pushed push(Path dir, String... extra) {
        List<String> args = DataSnapshots.list("data", "push", dir.toString());
        args.addAll(List.of(extra));
        DataSnapshots.Cli r = DataSnapshots.reprise(server, tmp, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        Matcher m = PUSHED.matcher(r.out());
        assertThat(m.matches()).as(r.out()).isTrue();
        return new DataSnapshots.Pushed(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)));
    }

    @Test
    void pushingTheSameDirectoryTwiceUploadsNoNewBlobs() throws Exception {
        String name = DataSnapshots.uniqueName();
        Path dir = DataSnapshots.write(tmp.resolve("digits"), DataSnapshots.uniqueFiles("train/0.csv", "train/1.csv",
                "test/0.csv", "labels.txt"));

        DataSnapshots.Pushed first = push(dir, "--name", name);
        DataSnapshots.Pushed second = push(dir, "--name", name);

        assertThat(first.ref()).isEqualTo(name + ":latest");
        assertThat(first.files()).isEqualTo(4);
        assertThat(first.newBlobs()).isEqualTo(4);
        assertThat(second.newBlobs()).isZero();
        assertThat(second.id()).isEqualTo(first.id());
    }

    @Test
    void changingOneFileUploadsExactlyOneBlobAndYieldsANewId() throws Exception {
        String name = DataSnapshots.uniqueName();
        Map<String, String> files = DataSnapshots.uniqueFiles("a.csv", "b.csv", "c/d.csv");
        Path dir = DataSnapshots.write(tmp.resolve("data"), files);
        DataSnapshots.Pushed v1 = push(dir, "--name", name, "--tag", "v1");
        Files.writeString(dir.resolve("c/d.csv"), "changed", java.nio.file.StandardOpenOption.APPEND);

        DataSnapshots.Pushed v2 = push(dir, "--name", name, "--tag", "v2");

        assertThat(v2.newBlobs()).isEqualTo(1);
        assertThat(v2.id()).isNotEqualTo(v1.id());
        DataSnapshots.Cli ls = DataSnapshots.reprise(server, tmp, "data", "ls", "--name", name);
        assertThat(ls.exit()).isZero();
        assertThat(ls.out()).contains(v1.id()).contains(v2.id()).contains(name + ":v1").contains(name + ":v2");
        assertThat(ls.out().indexOf(v2.id())).as("newest first").isLessThan(ls.out().indexOf(v1.id()));
    }

    @Test
    void pullReproducesTheTreeByteForByte() throws Exception {
        String name = DataSnapshots.uniqueName();
        Path dir = DataSnapshots.write(tmp.resolve("src"), DataSnapshots.uniqueFiles("images/a.png",
                "images/deep/b.png", "données/été.csv", "with space.txt"));
        Files.write(dir.resolve("empty"), new byte[0]);
        byte[] binary = new byte[300_000];
        new java.util.Random(42).nextBytes(binary);
        Files.write(dir.resolve("images/big.bin"), binary);
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho " + name + "\n");
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        DataSnapshots.Pushed pushed = push(dir, "--name", name);
        Path out = tmp.resolve("pulled");

        DataSnapshots.Cli pull = DataSnapshots.reprise(server, tmp, "data", "pull", name, out.toString());

        assertThat(pull.exit()).as(pull.err()).isZero();
        assertThat(pull.out()).startsWith("Pulled " + name + ":latest = " + pushed.id() + " into " + out
                + " (7 files");
        assertThat(tree(out)).isEqualTo(tree(dir));
        assertThat(Files.getPosixFilePermissions(out.resolve("run.sh")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        DataSnapshots.Cli again = DataSnapshots.reprise(server, tmp, "data", "pull", pushed.id(), out.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("is not empty");
        DataSnapshots.Cli forced = DataSnapshots.reprise(server, tmp, "data", "pull", pushed.id(), out.toString(),
                "--force");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("downloaded 0, already there 7");
    }

    @Test
    void anInterruptedPushIsResumedByPushingAgainAndUploadsOnlyWhatIsMissing() throws Exception {
        String name = DataSnapshots.uniqueName();
        Map<String, String> files = DataSnapshots.uniqueFiles("1", "2", "3", "4", "5");
        Path dir = DataSnapshots.write(tmp.resolve("data"), files);
        Map<String, String> uploadedBeforeTheCut = new LinkedHashMap<>();
        uploadedBeforeTheCut.put("1", files.get("1"));
        uploadedBeforeTheCut.put("2", files.get("2"));
        DataSnapshots.uploadMissing(DataSnapshots.plan(uploadedBeforeTheCut), uploadedBeforeTheCut);
        assertThat(DataSnapshots.reprise(server, tmp, "data", "ls", "--name", name).out())
                .as("an interrupted push commits nothing").isEqualTo("No snapshots found.\n");

        DataSnapshots.Pushed resumed = push(dir, "--name", name);

        assertThat(resumed.newBlobs()).isEqualTo(3);
        assertThat(resumed.files()).isEqualTo(5);
    }

    @Test
    void refusesADirectoryItCannotSnapshotFaithfullyBeforeUploadingAnything() throws Exception {
        Map<String, String> files = DataSnapshots.uniqueFiles("good.csv", "also-good.csv");
        Path dir = DataSnapshots.write(tmp.resolve("data"), files);
        Files.writeString(tmp.resolve("outside.txt"), "secret");
        Files.createSymbolicLink(dir.resolve("leak"), tmp.resolve("outside.txt"));
        Files.writeString(dir.resolve("tab\there"), "x");

        DataSnapshots.Cli r = DataSnapshots.reprise(server, tmp, "data", "push", dir.toString(), "--name",
                DataSnapshots.uniqueName());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("2 problems; nothing was uploaded")
                .contains("leak -> " + tmp.resolve("outside.txt") + ": symbolic link points outside the directory")
                .contains("tab\\x09here: contains the control character U+0009");
        assertThat(files.values()).noneMatch(content -> DataSnapshots.blobExists(store, content));
    }

    @Test
    void showsASnapshotAndRefusesToDeleteOneThatRunsUse() throws Exception {
        String name = DataSnapshots.uniqueName();
        Path dir = DataSnapshots.write(tmp.resolve("data"), DataSnapshots.uniqueFiles("x/y.txt"));
        DataSnapshots.Pushed pushed = push(dir, "--name", name, "--tag", "v1");
        Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "data:\n  snapshot: '" + name + ":v1'\n"))
                .statusCode(201);

        DataSnapshots.Cli show = DataSnapshots.reprise(server, tmp, "data", "show", name + ":v1");
        DataSnapshots.Cli rm = DataSnapshots.reprise(server, tmp, "data", "rm", pushed.id());

        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("ID:         " + pushed.id()).contains("Tags:       " + name + ":v1")
                .contains("x/y.txt").contains("0644");
        assertThat(rm.exit()).isEqualTo(1);
        assertThat(rm.err()).contains("409").contains("a snapshot that runs reference cannot be deleted");
    }

    /** Every regular file under dir: relative path to content (as text of its bytes' hash). */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }
}
