package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.run.SweepTransitions;
import dev.reprise.orchestrator.domain.run.SweepStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "sweeps")
public class SweepEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sweeps_seq")
    @SequenceGenerator(name = "sweeps_seq", sequenceName = "sweeps_seq", allocationSize = 20)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "project_id")
    public ProjectEntity project;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SweepStatus status;

    @Column(nullable = false)
    public String method;

    @Column(name = "spec_text", nullable = false)
    public String specText;

    @Column(name = "spec_format", nullable = false)
    public String specFormat;

    /** The normalised spec as canonical JSON text. */
    @ColumnTransformer(write = "?::json")
    @Column(nullable = false, columnDefinition = "json")
    public String spec;

    @Column(name = "spec_hash", nullable = false, length = 64)
    public String specHash;

    /** SHA-256 of the exact submitted text (hex). */
    @Column(name = "spec_text_hash", nullable = false, length = 64)
    public String specTextHash;

    /** The sweep this one was cloned from, with changes. */
    @Column(name = "cloned_from")
    public Long clonedFrom;

    @Column(name = "metric_name")
    public String metricName;

    @Column(name = "metric_goal")
    public String metricGoal;

    @Column(name = "max_trials", nullable = false)
    public int maxTrials;

    @Column(nullable = false)
    public int parallelism;

    @Column(name = "max_failed_trials")
    public Integer maxFailedTrials;

    @Column(nullable = false)
    public long seed;

    @Column(nullable = false)
    public String queue;

    @Column(nullable = false)
    public int priority;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    /** The role the submitting credential had in the project (viewer..admin); null for sweeps from before V16. */
    @Column(name = "created_role")
    public String createdRole;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Why the sweep ended when its runs alone do not say (a GPU-hour budget reached); null otherwise. */
    @Column(name = "end_reason")
    public String endReason;

    /** A paused sweep starts no new trials; its running trials finish. */
    @Column(nullable = false)
    public boolean paused;

    /** The data snapshot id the spec's reference resolved to at submission; later runs inherit it. */
    @Column(name = "data_snapshot_id")
    public String dataSnapshotId;

    /** Moves the sweep to {@code next} through the sweep state machine; a refused move throws and changes nothing. */
    public void moveTo(SweepStatus next) {
        status = SweepTransitions.of(status, next).target();
    }
}
