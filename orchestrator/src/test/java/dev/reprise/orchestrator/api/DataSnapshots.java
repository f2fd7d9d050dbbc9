package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;

import dev.reprise.api.snapshots.Sha256;
import dev.reprise.cli.RepriseCli;
import dev.reprise.orchestrator.storage.ObjectStore;
import dev.reprise.orchestrator.storage.snapshots.SnapshotStore;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Test helpers for data snapshots: unique content, the push protocol over REST, the CLI, and the bucket itself. */
final class DataSnapshots {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private DataSnapshots() {
    }

    /** A snapshot name no other test (or earlier run) uses. */
    static String uniqueName() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** Files whose content no other test has pushed: each one embeds a fresh UUID. */
    static Map<String, String> uniqueFiles(String... paths) {
        String salt = UUID.randomUUID().toString();
        Map<String, String> files = new LinkedHashMap<>();
        for (String p : paths) {
            files.put(p, "content of " + p + " " + salt + "\n");
        }
        return files;
    }

    static Path write(Path dir, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
        }
        return dir;
    }

    static String sha(String content) {
        return Sha256.hex(content);
    }

    static String entriesJson(Map<String, String> files) {
        return files.entrySet().stream()
                .map(f -> "{\"path\":\"" + f.getKey() + "\",\"size\":" + bytes(f.getValue()).length
                        + ",\"sha256\":\"" + sha(f.getValue()) + "\",\"mode\":420}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static String blobsJson(Map<String, String> files) {
        return files.values().stream().distinct()
                .map(c -> "{\"sha256\":\"" + sha(c) + "\",\"size\":" + bytes(c).length + "}")
                .collect(Collectors.joining(",", "{\"blobs\":[", "]}"));
    }

    /** Asks which blobs are missing; returns the plan. */
    static JsonPath plan(Map<String, String> files) {
        return given().contentType(ContentType.JSON).body(blobsJson(files)).post("/api/v1/snapshots/uploads")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Uploads every blob the plan lists as missing, with its URL and headers; returns how many. */
    static int uploadMissing(JsonPath plan, Map<String, String> files) {
        Map<String, String> bySha = new LinkedHashMap<>();
        files.values().forEach(c -> bySha.put(sha(c), c));
        List<Map<String, Object>> missing = plan.getList("missing");
        for (Map<String, Object> m : missing) {
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) m.get("headers");
            int status = put((String) m.get("url"), headers, bytes(bySha.get((String) m.get("sha256"))));
            if (status != 200) {
                throw new AssertionError("upload of " + m.get("sha256") + " answered " + status);
            }
        }
        return missing.size();
    }

    static int put(String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] get(String url) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Commits the files' manifest inline under name:tag; returns the commit answer. */
    static io.restassured.response.ValidatableResponse commit(String name, String tag, Map<String, String> files) {
        String body = "{\"name\":\"" + name + "\"" + (tag == null ? "" : ",\"tag\":\"" + tag + "\"")
                + ",\"manifest\":{\"entries\":" + entriesJson(files) + "}}";
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/snapshots").then();
    }

    /** The whole push protocol over REST; returns the snapshot id. */
    static String push(String name, String tag, Map<String, String> files) {
        uploadMissing(plan(files), files);
        return commit(name, tag, files).statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                org.hamcrest.Matchers.is(201))).extract().path("id");
    }

    static boolean blobExists(ObjectStore store, String content) {
        return exists(store, SnapshotStore.blobKey(sha(content)));
    }

    static boolean exists(ObjectStore store, String key) {
        try {
            store.client().statObject(StatObjectArgs.builder().bucket(store.bucket()).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            // only "no such object" means absent: an auth, bucket or server error must fail the check, not pass it
            String code = e.errorResponse() == null ? null : e.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code) || (code == null && e.response() != null
                    && e.response().code() == 404)) {
                return false;
            }
            throw new IllegalStateException("cannot tell whether " + key + " exists in bucket " + store.bucket()
                    + ": " + code + " " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Overwrites a blob in the bucket behind the orchestrator's back, as disk rot or a bad actor would. */
    static void overwriteBlob(ObjectStore store, String sha256, byte[] bytes) {
        try {
            store.client().putObject(PutObjectArgs.builder().bucket(store.bucket())
                    .object(SnapshotStore.blobKey(sha256))
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What {@code reprise data push} reported. */
    record Pushed(String ref, String id, int files, int newBlobs) {
    }

    /** Keeps the agent's events except heartbeats. */
    static final class RecordingReporter implements dev.reprise.agent.report.Reporter {
        private final List<dev.reprise.api.messages.RunEvent> events = new ArrayList<>();

        @Override
        public void metrics(dev.reprise.api.messages.MetricBatch batch) {
        }

        @Override
        public synchronized void event(dev.reprise.api.messages.RunEvent event) {
            if (!(event instanceof dev.reprise.api.messages.RunEvent.Heartbeat)) {
                events.add(event);
            }
        }

        @Override
        public boolean flush(java.time.Duration timeout) {
            return true;
        }

        @Override
        public void close() {
        }

        synchronized List<dev.reprise.api.messages.RunEvent> events() {
            return List.copyOf(events);
        }
    }

    /** What one CLI invocation printed and returned. */
    record Cli(int exit, String out, String err) {
    }

    static Cli reprise(URL server, Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RepriseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("REPRISE_TOKEN", dev.reprise.orchestrator.security.TestCredentials.ADMIN_TOKEN,
                        "REPRISE_SERVER", server.toString(), "XDG_CONFIG_HOME", home.toString(), "HOME",
                        home.toString()));
        return new Cli(exit, out.toString(), err.toString());
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
