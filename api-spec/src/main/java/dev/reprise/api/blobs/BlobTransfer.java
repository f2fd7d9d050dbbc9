package dev.reprise.api.blobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.api.snapshots.ManifestEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The blob transfer protocol that snapshots ({@code /api/v1/snapshots/uploads}, {@code /api/v1/snapshots}) and run
 * artifacts ({@code .../attempts/N/artifacts/uploads}, {@code .../attempts/N/artifacts}) share, as its clients write
 * and read it: ask which blobs the store lacks, PUT those to the presigned URLs, then commit a manifest. The field
 * names are here once; the orchestrator reads the same names with field-by-field errors ({@code SnapshotRequests})
 * and its answers are checked against {@link #plan(byte[])} by a contract test.
 */
public final class BlobTransfer {

    /** The most blobs one upload request may ask about. */
    public static final int MAX_BLOBS_PER_REQUEST = 5000;

    public static final String BLOBS = "blobs";
    public static final String MANIFEST = "manifest";
    public static final String ENTRIES = "entries";
    public static final String MISSING = "missing";
    public static final String PRESENT = "present";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String SHA256 = "sha256";
    public static final String SIZE = "size";
    public static final String URL = "url";
    public static final String HEADERS = "headers";
    public static final String PATH = "path";
    public static final String MODE = "mode";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private BlobTransfer() {
    }

    /** {@code {"blobs": [{sha256, size}...]}}, and {@code "manifest": {sha256, size}} when {@code manifest} is given. */
    public static byte[] uploadRequest(Collection<BlobRef> blobs, Optional<BlobRef> manifest) {
        ObjectNode body = JSON.createObjectNode();
        if (!blobs.isEmpty() || manifest.isEmpty()) {
            ArrayNode list = body.putArray(BLOBS);
            blobs.forEach(b -> list.addObject().put(SHA256, b.sha256()).put(SIZE, b.size()));
        }
        manifest.ifPresent(m -> body.putObject(MANIFEST).put(SHA256, m.sha256()).put(SIZE, m.size()));
        return write(body);
    }

    /** {@code {"manifest": {"entries": [{path, size, sha256, mode}...]}}} plus the given top-level text fields. */
    public static ObjectNode manifestCommit(List<ManifestEntry> entries, Map<String, String> fields) {
        ObjectNode body = JSON.createObjectNode();
        fields.forEach((k, v) -> {
            if (v != null) {
                body.put(k, v);
            }
        });
        if (entries != null) {
            ArrayNode list = body.putObject(MANIFEST).putArray(ENTRIES);
            entries.forEach(e -> list.addObject().put(PATH, e.path()).put(SIZE, e.size()).put(SHA256, e.sha256())
                    .put(MODE, e.mode()));
        }
        return body;
    }

    /** The orchestrator's answer to an upload request. */
    public static UploadPlan plan(byte[] json) {
        return plan(read(json));
    }

    /** The orchestrator's answer to an upload request, already parsed. */
    public static UploadPlan plan(JsonNode root) {
        List<PresignedUpload> missing = new ArrayList<>();
        for (JsonNode m : root.path(MISSING)) {
            missing.add(upload(m));
        }
        JsonNode manifest = root.path(MANIFEST);
        String expires = root.path(EXPIRES_AT).asText(null);
        return new UploadPlan(missing, root.path(PRESENT).asInt(),
                manifest.isObject() ? Optional.of(upload(manifest)) : Optional.empty(),
                expires == null ? null : Instant.parse(expires));
    }

    public static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PresignedUpload upload(JsonNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        node.path(HEADERS).fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        return new PresignedUpload(node.path(SHA256).asText(), node.path(SIZE).asLong(), node.path(URL).asText(),
                headers);
    }

    private static JsonNode read(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not an upload plan: expected a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("not an upload plan: " + e.getMessage(), e);
        }
    }
}
