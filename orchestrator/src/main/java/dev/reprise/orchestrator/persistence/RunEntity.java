package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.run.RunTransitions;
import dev.reprise.orchestrator.domain.run.RunState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "runs")
public class RunEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "runs_seq")
    @SequenceGenerator(name = "runs_seq", sequenceName = "runs_seq", allocationSize = 100)
    public Long id;

    @Column(name = "sweep_id", nullable = false)
    public Long sweepId;

    @Column(name = "run_index", nullable = false)
    public int index;

    /** The resolved parameters as a JSON object text, in declaration order. */
    @ColumnTransformer(write = "?::jsonb")
    @Column(nullable = false, columnDefinition = "jsonb")
    public String parameters;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunState state;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "launched_at")
    public Instant launchedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    /** A run whose launch failed waits until this time before the next try. */
    @Column(name = "not_before")
    public Instant notBefore;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "exit_code")
    public Integer exitCode;

    @Column(name = "stop_reason")
    public String stopReason;

    @Column(name = "failure_cause")
    public String failureCause;

    public String message;

    @Column(name = "image_ref")
    public String imageRef;

    @Column(name = "image_digest")
    public String imageDigest;

    @Column(name = "config_hash", length = 64)
    public String configHash;

    @Column(name = "data_snapshot_id")
    public String dataSnapshotId;

    @Column(name = "git_repo")
    public String gitRepo;

    @Column(name = "git_commit")
    public String gitCommit;

    @Column(name = "git_dirty")
    public Boolean gitDirty;

    public Long seed;

    @Column(name = "node_name")
    public String nodeName;

    @Column(name = "agent_version")
    public String agentVersion;

    /** The user's environment variables as recorded, secrets redacted (a JSON object text). */
    @ColumnTransformer(write = "?::jsonb")
    @Column(columnDefinition = "jsonb")
    public String env;

    /** Why early stopping ended the run, in figures (a JSON object text; see StoppingRule.Explanation). */
    @ColumnTransformer(write = "?::jsonb")
    @Column(name = "early_stop", columnDefinition = "jsonb")
    public String earlyStop;

    /** The executor chosen when the run was created: kubernetes, local or none. */
    public String executor;

    /** What the executor runs the command with, where that is not a container image (the local executor). */
    public String runtime;

    @Column(name = "gpu_model")
    public String gpuModel;

    /** The run this one re-runs, pinned to its recorded provenance. */
    @Column(name = "rerun_of")
    public Long rerunOf;

    /** When the provenance was recorded; from then on the database refuses to change it. */
    @Column(name = "provenance_recorded_at")
    public Instant provenanceRecordedAt;

    /** Moves the run to {@code next} through the run state machine; a refused move throws and changes nothing. */
    public void moveTo(RunState next) {
        state = RunTransitions.of(state, next).target();
    }

    /** A user's retry in place ({@link RunTransitions#retry}): queued again as the next attempt. */
    public void retry() {
        state = RunTransitions.retry(state).target();
    }

    /**
     * Begins the run's next attempt: the attempt number goes up and what the last attempt observed (its node, image
     * digest, GPU, agent, launch and start times, the time it may start) is cleared, since the new attempt observes its
     * own; each attempt's are kept in run_attempts. {@code why} becomes the run's message.
     */
    public void beginNextAttempt(String why) {
        attempt++;
        nodeName = null;
        imageDigest = null;
        gpuModel = null;
        agentVersion = null;
        launchedAt = null;
        startedAt = null;
        notBefore = null;
        message = why;
    }
}
