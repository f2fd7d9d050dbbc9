package dev.reprise.orchestrator.api;

import dev.reprise.api.blobs.PresignedUpload;
import dev.reprise.api.blobs.UploadPlan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.orchestrator.application.SnapshotService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON shapes of the snapshot API: requests (for the OpenAPI document) and answers. */
final class SnapshotViews {

    private SnapshotViews() {
    }

    @Schema(name = "SnapshotEntry", description = "One file of a snapshot")
    record Entry(
            @Schema(description = "Relative path with / separators") String path,
            @Schema(description = "Bytes") long size,
            @Schema(description = "SHA-256 of the content, 64 lowercase hex digits") String sha256,
            @Schema(description = "Permission bits, e.g. 420 (0644) or 493 (0755)") int mode) {

        static Entry of(ManifestEntry e) {
            return new Entry(e.path(), e.size(), e.sha256(), e.mode());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Snapshot", description = "A committed data snapshot; entries only in the single-snapshot view")
    record SnapshotView(
            @Schema(description = "sha256: + the SHA-256 of the canonical manifest") String id,
            int fileCount,
            long totalBytes,
            Instant createdAt,
            String createdBy,
            @Schema(description = "name:tag pointers at this snapshot") List<String> tags,
            List<Entry> entries) {

        static SnapshotView summary(SnapshotService.Snapshot s) {
            return new SnapshotView(s.row().id, s.row().fileCount, s.row().totalBytes, s.row().createdAt,
                    s.row().createdBy, s.tags(), null);
        }

        static SnapshotView detail(SnapshotService.Download d) {
            SnapshotView s = summary(d.snapshot());
            return new SnapshotView(s.id(), s.fileCount(), s.totalBytes(), s.createdAt(), s.createdBy(), s.tags(),
                    d.manifest().entries().stream().map(Entry::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SnapshotCommit", description = "A committed snapshot and the tag the commit moved")
    record CommitView(
            String id,
            int fileCount,
            long totalBytes,
            Instant createdAt,
            String createdBy,
            List<String> tags,
            String name,
            String tag,
            @Schema(description = "false when the snapshot existed already and only the tag moved") boolean created,
            @Schema(description = "the id name:tag pointed at before, when it moved") String previousId) {

        static CommitView of(SnapshotService.Committed c) {
            SnapshotView s = SnapshotView.summary(c.snapshot());
            return new CommitView(s.id(), s.fileCount(), s.totalBytes(), s.createdAt(), s.createdBy(), s.tags(),
                    c.name(), c.tag(), c.created(), c.previous().orElse(null));
        }
    }

    @Schema(name = "BlobRef", description = "A blob by content: its SHA-256 and size")
    record BlobRefBody(String sha256, long size) {
    }

    @Schema(name = "SnapshotUploadRequest")
    record UploadRequestBody(
            @Schema(description = "The blobs of the files to push (at most 5000 per request)") List<BlobRefBody> blobs,
            @Schema(description = "The canonical manifest, to be uploaded before committing by id")
            BlobRefBody manifest) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "BlobUpload", description = "PUT the blob's bytes to url, sending every header given")
    record UploadView(String sha256, long size, String url, Map<String, String> headers) {

        static UploadView of(PresignedUpload u) {
            return new UploadView(u.sha256(), u.size(), u.url(), u.headers());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SnapshotUploadPlan",
            description = "What the store lacks, with presigned upload URLs; blobs it has are not listed")
    record UploadPlanView(
            List<UploadView> missing,
            @Schema(description = "How many of the blobs asked about the store has") int present,
            @Schema(description = "The manifest's upload; absent when it is not needed") UploadView manifest,
            Instant expiresAt) {

        static UploadPlanView of(UploadPlan plan) {
            return new UploadPlanView(plan.missing().stream().map(UploadView::of).toList(), plan.present(),
                    plan.manifest().map(UploadView::of).orElse(null), plan.expiresAt());
        }
    }

    @Schema(name = "SnapshotManifestBody")
    record ManifestBody(List<Entry> entries) {
    }

    @Schema(name = "SnapshotCommitRequest",
            description = "Commit a snapshot: give its manifest's entries, or the id of a manifest uploaded first")
    record CommitRequestBody(
            @Schema(description = "Snapshot name, e.g. digits") String name,
            @Schema(description = "Tag to point at the snapshot", defaultValue = "latest") String tag,
            @Schema(description = "sha256:<hex> of an uploaded manifest") String id,
            ManifestBody manifest) {
    }

    @Schema(name = "SnapshotDownloadEntry")
    record DownloadEntry(String path, long size, String sha256, int mode,
            @Schema(description = "Presigned GET URL of the blob") String url) {
    }

    @Schema(name = "SnapshotDownload", description = "A snapshot's manifest with a presigned GET URL per file")
    record DownloadView(String id, int fileCount, long totalBytes, Instant expiresAt, List<DownloadEntry> entries) {

        static DownloadView of(SnapshotService.Download d) {
            return new DownloadView(d.snapshot().row().id, d.manifest().fileCount(), d.manifest().totalBytes(),
                    d.expiresAt(), d.manifest().entries().stream()
                            .map(e -> new DownloadEntry(e.path(), e.size(), e.sha256(), e.mode(),
                                    d.urls().get(e.sha256())))
                            .toList());
        }
    }
}
