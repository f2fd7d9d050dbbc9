package dev.reprise.orchestrator.api;

import dev.reprise.api.blobs.BlobRef;
import dev.reprise.api.blobs.BlobTransfer;

import dev.reprise.orchestrator.domain.error.MalformedDocumentException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.domain.error.InvalidSnapshotException;
import dev.reprise.orchestrator.application.SnapshotService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads snapshot request bodies into typed requests, naming each field of the wrong type or missing. */
final class SnapshotRequests {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8)
                .maxStringLength(8192)
                .maxNumberLength(32)
                .build());
    }

    private SnapshotRequests() {
    }

    /** A parsed upload request: the blobs asked about, and the manifest (or null). */
    record Uploads(List<BlobRef> blobs, BlobRef manifest) {
    }

    static Uploads uploads(byte[] body) {
        JsonNode root = object(body);
        List<FieldError> errors = new ArrayList<>();
        List<BlobRef> blobs = new ArrayList<>();
        JsonNode list = root.path(BlobTransfer.BLOBS);
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            errors.add(new FieldError("blobs", "must be a list of {sha256, size}"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                blobs.add(blob(list.get(i), "blobs[" + i + "]", errors));
            }
        }
        BlobRef manifest = root.hasNonNull(BlobTransfer.MANIFEST)
                ? blob(root.get(BlobTransfer.MANIFEST), BlobTransfer.MANIFEST, errors) : null;
        if (list.isMissingNode() && manifest == null) {
            errors.add(new FieldError("blobs", "give the blobs to upload, the manifest, or both"));
        }
        fail(errors, "upload request");
        return new Uploads(blobs, manifest);
    }

    static SnapshotService.CommitRequest commit(byte[] body) {
        JsonNode root = object(body);
        List<FieldError> errors = new ArrayList<>();
        String name = text(root, "name", true, errors);
        String tag = text(root, "tag", false, errors);
        String id = text(root, "id", false, errors);
        List<ManifestEntry> entries = null;
        JsonNode manifest = root.path(BlobTransfer.MANIFEST);
        if (!manifest.isMissingNode() && !manifest.isNull()) {
            JsonNode list = manifest.path(BlobTransfer.ENTRIES);
            if (!manifest.isObject() || !list.isArray()) {
                errors.add(new FieldError("manifest.entries", "must be a list of {path, size, sha256, mode}"));
            } else {
                entries = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    entries.add(entry(list.get(i), "manifest.entries[" + i + "]", errors));
                }
            }
        }
        fail(errors, "snapshot");
        return new SnapshotService.CommitRequest(name, tag, id, entries);
    }

    /** The entries of {@code {"manifest": {"entries": [...]}}}, as an artifact commit sends them. */
    static List<ManifestEntry> manifestEntries(byte[] body) {
        JsonNode root = object(body);
        List<FieldError> errors = new ArrayList<>();
        JsonNode list = root.path(BlobTransfer.MANIFEST).path(BlobTransfer.ENTRIES);
        List<ManifestEntry> entries = new ArrayList<>();
        if (!root.path(BlobTransfer.MANIFEST).isObject() || !list.isArray()) {
            errors.add(new FieldError("manifest.entries", "must be a list of {path, size, sha256, mode}"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                entries.add(entry(list.get(i), "manifest.entries[" + i + "]", errors));
            }
        }
        fail(errors, "artifact manifest");
        return entries;
    }

    private static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedDocumentException("the request body is empty; send a JSON object");
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new MalformedDocumentException("the request body must be a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new MalformedDocumentException("the request body is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static BlobRef blob(JsonNode node, String field, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError(field, "must be an object {sha256, size}"));
            return new BlobRef(null, 0);
        }
        return new BlobRef(text(node, BlobTransfer.SHA256, field, true, errors),
                number(node, BlobTransfer.SIZE, field, errors));
    }

    private static ManifestEntry entry(JsonNode node, String field, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError(field, "must be an object {path, size, sha256, mode}"));
            return null;
        }
        String path = text(node, BlobTransfer.PATH, field, true, errors);
        long size = number(node, BlobTransfer.SIZE, field, errors);
        String sha = text(node, BlobTransfer.SHA256, field, true, errors);
        JsonNode mode = node.path(BlobTransfer.MODE);
        int m = 0644;
        if (!mode.isMissingNode() && !mode.isNull()) {
            if (!mode.isInt()) {
                errors.add(new FieldError(field + ".mode", "must be an integer such as 420 (0644)"));
            } else {
                m = mode.asInt();
            }
        }
        return new ManifestEntry(path, size, sha, m);
    }

    private static String text(JsonNode node, String name, boolean required, List<FieldError> errors) {
        return text(node, name, null, required, errors);
    }

    private static String text(JsonNode node, String name, String parent, boolean required, List<FieldError> errors) {
        String field = parent == null ? name : parent + "." + name;
        JsonNode value = node.path(name);
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return value.asText();
    }

    private static long number(JsonNode node, String name, String parent, List<FieldError> errors) {
        JsonNode value = node.path(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            errors.add(new FieldError(parent + "." + name, value.isMissingNode() ? "is required"
                    : "must be a whole number of bytes"));
            return 0;
        }
        return value.asLong();
    }

    private static void fail(List<FieldError> errors, String what) {
        if (!errors.isEmpty()) {
            throw new InvalidSnapshotException(errors.size() + " problem" + (errors.size() == 1 ? "" : "s")
                    + " in the " + what, errors);
        }
    }
}
