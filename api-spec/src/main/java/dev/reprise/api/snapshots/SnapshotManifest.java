package dev.reprise.api.snapshots;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The list of files of a snapshot, in canonical order (paths by code point). Its canonical JSON form is
 *
 * <pre>{"entries":[{"mode":420,"path":"a.txt","sha256":"…","size":12}, …],"version":1}</pre>
 *
 * <p>with keys sorted, no whitespace, strings escaped only where JSON requires it (non-ASCII as UTF-8). The snapshot
 * id is {@code sha256:} + the SHA-256 of those bytes: equal file trees give equal ids, whatever machine pushed them.
 * Build one with {@link #of}, which checks every rule and throws {@link InvalidManifestException} listing each bad
 * entry; {@link #problems} returns the same findings without throwing.
 */
public final class SnapshotManifest {

    public static final int VERSION = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(4 * SnapshotPaths.MAX_PATH_BYTES)
                .maxDocumentLength(-1)
                .maxNestingDepth(8)
                .build());
    }

    private final List<ManifestEntry> entries;
    private final long totalBytes;
    private byte[] canonical;

    private SnapshotManifest(List<ManifestEntry> sorted) {
        this.entries = List.copyOf(sorted);
        this.totalBytes = sorted.stream().mapToLong(ManifestEntry::size).sum();
    }

    /** One rule an entry breaks: the entry's position in the list it came in, and why. */
    public record Problem(int index, String path, String message) {
    }

    /** A valid manifest of these entries, in canonical order. */
    public static SnapshotManifest of(List<ManifestEntry> entries) throws InvalidManifestException {
        List<Problem> problems = problems(entries);
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(problems);
        }
        List<ManifestEntry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> SnapshotPaths.compare(a.path(), b.path()));
        return new SnapshotManifest(sorted);
    }

    /**
     * Every rule the entries break: a path the store cannot hold, a bad hash, size or mode, a path listed twice, a
     * path that is both a file and a directory ({@code a} and {@code a/b}). An empty list breaks no rule.
     */
    public static List<Problem> problems(List<ManifestEntry> entries) {
        List<Problem> problems = new ArrayList<>();
        Set<String> files = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            ManifestEntry e = entries.get(i);
            if (e == null) {
                problems.add(new Problem(i, null, "is missing"));
                continue;
            }
            String path = e.path();
            int index = i;
            SnapshotPaths.problem(path).ifPresent(p -> problems.add(new Problem(index, path, p)));
            if (!Sha256.isHex(e.sha256())) {
                problems.add(new Problem(i, path, "sha256 must be 64 lowercase hex digits"));
            }
            if (e.size() < 0) {
                problems.add(new Problem(i, path, "size must not be negative"));
            }
            if (e.mode() < 0 || e.mode() > ManifestEntry.MAX_MODE) {
                problems.add(new Problem(i, path, "mode must be permission bits between 0 and 0777 (511)"));
            }
            if (path != null && !files.add(path)) {
                problems.add(new Problem(i, path, "is listed more than once"));
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            ManifestEntry e = entries.get(i);
            if (e == null || e.path() == null) {
                continue;
            }
            String path = e.path();
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String parent = path.substring(0, slash);
                if (files.contains(parent)) {
                    problems.add(new Problem(i, path, "'" + parent + "' is a file, so it cannot also be a directory"));
                    break;
                }
            }
        }
        problems.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return problems;
    }

    /** Reads canonical manifest bytes, refusing anything that is not exactly the canonical form of its entries. */
    public static SnapshotManifest parseCanonical(byte[] bytes) throws InvalidManifestException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidManifestException("the manifest is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || root.path("version").asInt(-1) != VERSION
                || !root.path("entries").isArray()) {
            throw new InvalidManifestException("the manifest is not a version " + VERSION
                    + " manifest: expected {\"entries\":[...],\"version\":" + VERSION + "}");
        }
        List<ManifestEntry> entries = new ArrayList<>();
        for (JsonNode node : root.get("entries")) {
            entries.add(entry(node));
        }
        SnapshotManifest manifest = of(entries);
        if (!Arrays.equals(manifest.canonicalBytes(), bytes)) {
            throw new InvalidManifestException("the manifest is not in canonical form (sorted entries, sorted keys, "
                    + "no whitespace)");
        }
        return manifest;
    }

    private static ManifestEntry entry(JsonNode node) throws InvalidManifestException {
        if (!node.isObject() || node.size() != 4 || !node.path("path").isTextual() || !node.path("sha256").isTextual()
                || !node.path("size").canConvertToLong() || !node.path("size").isIntegralNumber()
                || !node.path("mode").isInt()) {
            throw new InvalidManifestException("a manifest entry must be {\"mode\":int,\"path\":string,"
                    + "\"sha256\":string,\"size\":int}, not " + node);
        }
        return new ManifestEntry(node.get("path").asText(), node.get("size").asLong(), node.get("sha256").asText(),
                node.get("mode").asInt());
    }

    public List<ManifestEntry> entries() {
        return entries;
    }

    public int fileCount() {
        return entries.size();
    }

    public long totalBytes() {
        return totalBytes;
    }

    /** The snapshot id: {@code sha256:} + the hash of {@link #canonicalBytes()}. */
    public String id() {
        return Sha256.PREFIX + Sha256.hex(canonicalBytes());
    }

    /** The canonical JSON bytes (a fresh copy). */
    public synchronized byte[] canonicalBytes() {
        if (canonical == null) {
            canonical = encode();
        }
        return canonical.clone();
    }

    private byte[] encode() {
        StringBuilder json = new StringBuilder(64 + entries.size() * 120).append("{\"entries\":[");
        Iterator<ManifestEntry> it = entries.iterator();
        while (it.hasNext()) {
            ManifestEntry e = it.next();
            json.append("{\"mode\":").append(e.mode()).append(",\"path\":");
            quote(json, e.path());
            json.append(",\"sha256\":\"").append(e.sha256()).append("\",\"size\":").append(e.size()).append('}');
            if (it.hasNext()) {
                json.append(',');
            }
        }
        json.append("],\"version\":").append(VERSION).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotManifest other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "SnapshotManifest[" + entries.size() + " files, " + totalBytes + " bytes]";
    }
}
