package dev.reprise.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.execution.TrialLaunch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Queue placements are checked against Kubernetes' rules when the configuration is read, naming the setting. */
class QueuePlacementTest {

    @Test
    void acceptsAValidPlacement() {
        TrialLaunch.Placement p = new TrialLaunch.Placement(Map.of("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"),
                Queues.tolerations(Optional.of(List.of("nvidia.com/gpu:NoSchedule", "dedicated=ml:NoExecute"))),
                "ml-training", "reprise-trials", "team-a");
        assertThat(Queues.placementErrors("gpu", p)).isEmpty();
    }

    @Test
    void namesEveryInvalidSettingOfAQueue() {
        TrialLaunch.Placement p = new TrialLaunch.Placement(Map.of("bad key!", "ok", "zone", "not ok"),
                Queues.tolerations(Optional.of(List.of("nvidia.com/gpu:NoSchedule", "k=v:Sometimes"))),
                "Not_A_Name", "sa with spaces", "-team-");

        assertThat(Queues.placementErrors("gpu", p)).satisfiesExactly(
                e -> assertThat(e).startsWith("reprise.scheduler.queues.gpu.node-selector: key 'bad key!': "),
                e -> assertThat(e).startsWith("reprise.scheduler.queues.gpu.node-selector: value of 'zone': "),
                e -> assertThat(e).startsWith("reprise.scheduler.queues.gpu.tolerations[1]: ").contains("Sometimes"),
                e -> assertThat(e).startsWith("reprise.scheduler.queues.gpu.priority-class-name: "),
                e -> assertThat(e).startsWith("reprise.scheduler.queues.gpu.service-account-name: "),
                e -> assertThat(e).startsWith("reprise.scheduler.queues.gpu.kueue-queue-name: "));
    }
}
