package dev.reprise.orchestrator.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A committed data snapshot; its manifest and blobs are in the object store. Never updated. */
@Entity
@Table(name = "snapshots")
public class SnapshotEntity {

    /** {@code sha256:} + the hash of the canonical manifest. */
    @Id
    public String id;

    @Column(name = "file_count", nullable = false)
    public int fileCount;

    @Column(name = "total_bytes", nullable = false)
    public long totalBytes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
