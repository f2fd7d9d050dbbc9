package dev.reprise.orchestrator.application;

import dev.reprise.api.snapshots.SnapshotManifest;
import java.util.LinkedHashMap;

/** Parsed manifests by id (they never change), bounded by count and by total entries. */
final class ManifestCache {
    private final int maxManifests;
    private final long maxEntries;
    private final LinkedHashMap<String, SnapshotManifest> map = new LinkedHashMap<>(16, 0.75f, true);
    private long entries;

    ManifestCache(int maxManifests, long maxEntries) {
        this.maxManifests = maxManifests;
        this.maxEntries = maxEntries;
    }

    synchronized SnapshotManifest get(String id) {
        return map.get(id);
    }

    synchronized void put(String id, SnapshotManifest manifest) {
        if (manifest.fileCount() > maxEntries / 4 || map.containsKey(id)) {
            return;
        }
        map.put(id, manifest);
        entries += manifest.fileCount();
        var it = map.entrySet().iterator();
        while ((map.size() > maxManifests || entries > maxEntries) && it.hasNext()) {
            entries -= it.next().getValue().fileCount();
            it.remove();
        }
    }

    synchronized void remove(String id) {
        SnapshotManifest m = map.remove(id);
        if (m != null) {
            entries -= m.fileCount();
        }
    }
}
