package dev.reprise.transfer;

import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.InvalidManifestException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/v1/snapshots/{ref}/download}: the snapshot's manifest with a short-lived URL per
 * blob. {@link #manifest()} rebuilds the manifest from the entries so that its id can be checked against the id that
 * was asked for: the URLs are trusted only to deliver bytes, which are verified against the manifest's hashes.
 */
public record DownloadListing(String id, List<ManifestEntry> entries, Map<String, URI> urls) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public DownloadListing {
        entries = List.copyOf(entries);
        urls = Map.copyOf(urls);
    }

    /** Parses the endpoint's JSON; throws {@link InvalidManifestException} when it is not such a listing. */
    public static DownloadListing parse(byte[] json) throws InvalidManifestException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidManifestException("the download listing is not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("id").isTextual() || !root.path("entries").isArray()) {
            throw new InvalidManifestException("the download listing has no id or entries");
        }
        List<ManifestEntry> entries = new ArrayList<>();
        Map<String, URI> urls = new HashMap<>();
        for (JsonNode e : root.get("entries")) {
            if (!e.path("path").isTextual() || !e.path("sha256").isTextual() || !e.path("size").isIntegralNumber()
                    || !e.path("mode").isInt() || !e.path("url").isTextual()) {
                throw new InvalidManifestException("a download entry needs path, size, sha256, mode and url: " + e);
            }
            entries.add(new ManifestEntry(e.get("path").asText(), e.get("size").asLong(), e.get("sha256").asText(),
                    e.get("mode").asInt()));
            try {
                urls.put(e.get("sha256").asText(), URI.create(e.get("url").asText()));
            } catch (IllegalArgumentException bad) {
                throw new InvalidManifestException("a download entry has an invalid url: " + e.get("url").asText());
            }
        }
        return new DownloadListing(root.get("id").asText(), entries, urls);
    }

    /** The manifest the entries make, checked against every snapshot rule. */
    public SnapshotManifest manifest() throws InvalidManifestException {
        return SnapshotManifest.of(entries);
    }
}
