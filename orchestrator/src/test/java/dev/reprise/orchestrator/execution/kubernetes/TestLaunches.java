package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.execution.TrialLaunch;
import java.util.List;
import java.util.Map;

/** Launches for tests: sensible defaults, changed one field at a time. */
final class TestLaunches {

    private TestLaunches() {
    }

    static Builder launch() {
        return new Builder();
    }

    static TrialLaunch launch(long sweepId, String sweepName, long runId, int index, int attempt) {
        return new Builder().sweep(sweepId, sweepName).run(runId, index).attempt(attempt).build();
    }

    static final class Builder {
        long runId = 1001;
        int attempt = 0;
        long sweepId = 42;
        String sweepName = "lr-search";
        String project = "vision";
        int index = 7;
        String image = "registry.example.com/team/train:1.2";
        List<String> argv = List.of("python", "train.py", "--lr", "0.01");
        Map<String, String> env = Map.of("REPRISE_RUN_ID", "1001", "WANDB_MODE", "offline");
        TrialLaunch.TrialResources resources = new TrialLaunch.TrialResources("2", "8Gi", 1, null);
        String queue = "default";
        int priority = 0;
        String configHash = "3f1c0ffee";
        String configJson = "{\"lr\":0.01,\"batch_size\":64}";
        TrialLaunch.Placement placement = TrialLaunch.Placement.NONE;
        Map<String, dev.reprise.orchestrator.domain.spec.SecretRef> secretEnv = Map.of();

        Builder secretEnv(Map<String, dev.reprise.orchestrator.domain.spec.SecretRef> secretEnv) {
            this.secretEnv = secretEnv;
            return this;
        }

        Builder sweep(long id, String name) {
            this.sweepId = id;
            this.sweepName = name;
            return this;
        }

        Builder run(long id, int index) {
            this.runId = id;
            this.index = index;
            this.env = Map.of("REPRISE_RUN_ID", Long.toString(id), "WANDB_MODE", "offline");
            return this;
        }

        Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        Builder project(String project) {
            this.project = project;
            return this;
        }

        Builder image(String image) {
            this.image = image;
            return this;
        }

        Builder argv(String... argv) {
            this.argv = List.of(argv);
            return this;
        }

        Builder env(Map<String, String> env) {
            this.env = env;
            return this;
        }

        Builder timeLimit(long seconds) {
            this.resources = new TrialLaunch.TrialResources(resources.cpu(), resources.memory(), resources.gpuCount(),
                    resources.gpuType(), resources.nodes(), seconds);
            return this;
        }

        Builder resources(String cpu, String memory, int gpus, String gpuType) {
            this.resources = new TrialLaunch.TrialResources(cpu, memory, gpus, gpuType);
            return this;
        }

        /** Spans {@code nodes} nodes, keeping the other resources. */
        Builder nodes(int nodes) {
            this.resources = new TrialLaunch.TrialResources(resources.cpu(), resources.memory(), resources.gpuCount(),
                    resources.gpuType(), nodes);
            return this;
        }

        Builder placement(TrialLaunch.Placement placement) {
            this.placement = placement;
            return this;
        }

        Builder config(String hash, String json) {
            this.configHash = hash;
            this.configJson = json;
            return this;
        }

        TrialLaunch build() {
            return new TrialLaunch(runId, attempt, sweepId, sweepName, project, index, image, argv, env, resources,
                    queue, priority, configHash, configJson, placement, secretEnv);
        }
    }
}
