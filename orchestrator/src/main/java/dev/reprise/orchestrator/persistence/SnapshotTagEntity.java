package dev.reprise.orchestrator.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A mutable pointer name:tag to a snapshot id. */
@Entity
@Table(name = "snapshot_tags")
@IdClass(SnapshotTagEntity.Key.class)
public class SnapshotTagEntity {

    @Id
    public String name;

    @Id
    public String tag;

    @Column(name = "snapshot_id", nullable = false)
    public String snapshotId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        public String name;
        public String tag;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(name, k.name) && Objects.equals(tag, k.tag);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, tag);
        }
    }
}
