package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    @Test
    void aServerOneTwentyHasNoneOfTheNewerJobFields() {
        Capabilities c = Capabilities.forVersion("1", "20");
        assertThat(c.podFailurePolicy()).isFalse();
        assertThat(c.ttlSecondsAfterFinished()).isFalse();
        assertThat(c.disruptionTargetCondition()).isFalse();
        assertThat(c.jobReadyStatus()).isFalse();
        assertThat(c.jobSuspend()).isFalse();
        assertThat(c.version()).isEqualTo("1.20");
    }

    @Test
    void featuresArriveWithTheVersionsThatEnableThemByDefault() {
        assertThat(Capabilities.forVersion(1, 21).ttlSecondsAfterFinished()).isTrue();
        assertThat(Capabilities.forVersion(1, 22).jobSuspend()).isTrue();
        assertThat(Capabilities.forVersion(1, 24).jobReadyStatus()).isTrue();
        assertThat(Capabilities.forVersion(1, 25).podFailurePolicy()).isFalse();
        assertThat(Capabilities.forVersion(1, 26).podFailurePolicy()).isTrue();
        assertThat(Capabilities.forVersion(1, 26).disruptionTargetCondition()).isTrue();
        assertThat(Capabilities.forVersion(2, 0).podFailurePolicy()).isTrue();
    }

    @Test
    void managedClusterMinorVersionsWithAPlusAreUnderstood() {
        assertThat(Capabilities.forVersion("1", "27+").podFailurePolicy()).isTrue();
        assertThat(Capabilities.forVersion("1", "20+").podFailurePolicy()).isFalse();
    }

    @Test
    void anUnreadableVersionIsAssumedCurrent() {
        assertThat(Capabilities.forVersion(null, "x")).isEqualTo(Capabilities.MODERN);
    }

    @Test
    void theDryRunProbeOverridesWhatTheVersionSuggests() {
        Capabilities c = Capabilities.forVersion(1, 20).withProbe(false, true);
        assertThat(c.ttlSecondsAfterFinished()).isTrue();
        assertThat(c.podFailurePolicy()).isFalse();
        assertThat(Capabilities.forVersion(1, 30).withProbe(false, true).podFailurePolicy()).isFalse();
    }

    @Test
    void aFixedVersionSettingSkipsDiscovery() {
        assertThat(KubernetesExecutorProducer.capabilitySource("auto")).isNull();
        assertThat(KubernetesExecutorProducer.capabilitySource("1.20").get()).isEqualTo(Capabilities.forVersion(1, 20));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KubernetesExecutorProducer.capabilitySource("twenty"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
