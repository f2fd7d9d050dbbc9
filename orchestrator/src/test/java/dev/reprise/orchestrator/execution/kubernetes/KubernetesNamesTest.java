package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.orchestrator.execution.TrialLaunch;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KubernetesNamesTest {

    @Test
    void jobNameIsTheSweepSlugSweepIdRunIndexAttemptAndInstallation() {
        assertThat(KubernetesNames.jobName("lr-search", 42, 7, 0, "1a2b3c4d")).isEqualTo("lr-search-42-7-0-1a2b3c4d");
        assertThat(KubernetesNames.jobName("LR Search: ResNet_50!", 42, 7, 3, "1a2b3c4d"))
                .isEqualTo("lr-search-resnet-50-42-7-3-1a2b3c4d");
    }

    @Test
    void jobNameOfALaunchUsesItsSweepRunAttemptAndInstallation() {
        TrialLaunch l = TestLaunches.launch(9, "Baseline", 100, 12, 2);
        assertThat(KubernetesNames.jobName(l, "00c0ffee")).isEqualTo("baseline-9-12-2-00c0ffee");
    }

    @Test
    void twoInstallationsNeverShareAJobNameForTheSameRunIdsAndAttempt() {
        TrialLaunch l = TestLaunches.launch(1, "digits", 1, 0, 0);
        assertThat(KubernetesNames.jobName(l, "aaaaaaaa")).isNotEqualTo(KubernetesNames.jobName(l, "bbbbbbbb"));
    }

    @Test
    void anInstallationThatIsNotAShortLowerCaseTokenIsRefused() {
        assertThat(KubernetesNames.installationError("1a2b3c4d")).isEmpty();
        assertThat(KubernetesNames.installationError("")).contains("must be 1 to 12 lower-case letters or digits");
        assertThat(KubernetesNames.installationError("Has-Dash")).isPresent();
        assertThat(KubernetesNames.installationError(null)).isPresent();
        assertThatThrownBy(() -> KubernetesNames.jobName("s", 1, 0, 0, "no/slash"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no/slash");
    }

    @Test
    void longSweepNamesAreCutToSixtyThreeCharactersWithAHashThatKeepsThemApart() {
        String a = "a-very-long-sweep-name-for-a-hyperparameter-search-over-learning-rates-alpha";
        String b = "a-very-long-sweep-name-for-a-hyperparameter-search-over-learning-rates-bravo";
        String na = KubernetesNames.jobName(a, 1234567, 999, 12, "1a2b3c4d");
        String nb = KubernetesNames.jobName(b, 1234567, 999, 12, "1a2b3c4d");
        assertThat(na).hasSizeLessThanOrEqualTo(63).endsWith("-1234567-999-12-1a2b3c4d")
                .startsWith("a-very-long-sweep");
        assertThat(KubernetesNames.dns1123LabelError(na)).isEmpty();
        assertThat(na).isNotEqualTo(nb);
        assertThat(KubernetesNames.jobName(a, 1234567, 999, 12, "1a2b3c4d")).isEqualTo(na);
    }

    @Test
    void everyNameBecomesAValidDns1123LabelEvenFromHostileInput() {
        List<String> names = List.of("", "   ", "!!!", "Ünïcödé-スイープ", "-leading-and-trailing-", "UPPER",
                "x".repeat(300), "a.b.c", "0-starts-with-digit", "__init__");
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            String job = KubernetesNames.jobName(n, Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                    "abcdef012345");
            assertThat(KubernetesNames.dns1123LabelError(job)).as(job).isEmpty();
            String small = KubernetesNames.jobName(n, 1, 0, 0, "1a2b3c4d");
            assertThat(KubernetesNames.dns1123LabelError(small)).as(small).isEmpty();
            seen.add(small);
        }
        assertThat(KubernetesNames.slug("")).isEqualTo("sweep");
    }

    @Test
    void validLabelValuesAreKeptVerbatimSoKubectlSelectorsUseTheRealName() {
        assertThat(KubernetesNames.labelValue("lr-search")).isEqualTo("lr-search");
        assertThat(KubernetesNames.labelValue("My_Sweep.v2")).isEqualTo("My_Sweep.v2");
    }

    @Test
    void invalidLabelValuesAreSanitisedDeterministicallyAndDistinctly() {
        String a = KubernetesNames.labelValue("my sweep / lr");
        String b = KubernetesNames.labelValue("my sweep / LR?");
        assertThat(KubernetesNames.labelValueError(a)).isEmpty();
        assertThat(KubernetesNames.labelValueError(b)).isEmpty();
        assertThat(a).startsWith("my-sweep-lr-").isNotEqualTo(b);
        assertThat(KubernetesNames.labelValue("my sweep / lr")).isEqualTo(a);
        String longValue = KubernetesNames.labelValue("x".repeat(100));
        assertThat(longValue).hasSizeLessThanOrEqualTo(63);
        assertThat(KubernetesNames.labelValueError(longValue)).isEmpty();
        assertThat(KubernetesNames.labelValueError(KubernetesNames.labelValue("///"))).isEmpty();
    }

    @Test
    void dns1123ValidatorsExplainWhatIsWrong() {
        assertThat(KubernetesNames.dns1123LabelError("ok-name")).isEmpty();
        assertThat(KubernetesNames.dns1123LabelError("Not_OK")).get().asString().contains("lower-case");
        assertThat(KubernetesNames.dns1123LabelError("a".repeat(64))).get().asString().contains("at most 63");
        assertThat(KubernetesNames.dns1123LabelError("")).get().asString().contains("empty");
        assertThat(KubernetesNames.dns1123SubdomainError("high-priority.example.com")).isEmpty();
        assertThat(KubernetesNames.dns1123SubdomainError("-bad.")).isPresent();
    }

    @Test
    void labelKeysMayHaveADnsPrefix() {
        assertThat(KubernetesNames.labelKeyError("nvidia.com/gpu.product")).isEmpty();
        assertThat(KubernetesNames.labelKeyError("pool")).isEmpty();
        assertThat(KubernetesNames.labelKeyError("Bad_Prefix/x")).get().asString().contains("prefix");
        assertThat(KubernetesNames.labelKeyError("example.com/")).get().asString().contains("empty");
        assertThat(KubernetesNames.labelKeyError("a/b/c")).isPresent();
    }

    @Test
    void nodeSelectorErrorsNameTheKeyAndTheProblem() {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put("cloud.google.com/gke-accelerator", "nvidia-tesla-a100");
        selector.put("bad key", "v");
        selector.put("pool", "has spaces");
        assertThat(KubernetesNames.nodeSelectorErrors(selector))
                .hasSize(2)
                .anySatisfy(e -> assertThat(e).startsWith("key 'bad key'"))
                .anySatisfy(e -> assertThat(e).startsWith("value of 'pool'"));
    }

    @Test
    void tolerationsFollowTheApiServersRules() {
        assertThat(KubernetesNames.tolerationError(new TrialLaunch.Toleration("nvidia.com/gpu", "Exists", null,
                "NoSchedule"))).isEmpty();
        assertThat(KubernetesNames.tolerationError(new TrialLaunch.Toleration("dedicated", null, "ml", null)))
                .isEmpty();
        assertThat(KubernetesNames.tolerationError(new TrialLaunch.Toleration(null, "Exists", null, null))).isEmpty();
        assertThat(KubernetesNames.tolerationError(new TrialLaunch.Toleration("k", "Maybe", null, null)))
                .get().asString().contains("operator");
        assertThat(KubernetesNames.tolerationError(new TrialLaunch.Toleration("k", "Exists", "v", null)))
                .get().asString().contains("value must be empty");
        assertThat(KubernetesNames.tolerationError(new TrialLaunch.Toleration("", "Equal", "v", null)))
                .get().asString().contains("key may only be empty");
        assertThat(KubernetesNames.tolerationError(new TrialLaunch.Toleration("k", "Equal", "v", "Sometimes")))
                .get().asString().contains("effect");
        assertThat(KubernetesNames.tolerationError(new TrialLaunch.Toleration("k", "Equal", "not ok", null)))
                .get().asString().contains("value 'not ok'");
    }

    @Test
    void placementErrorsCollectEveryProblemWithItsFieldPath() {
        TrialLaunch.Placement p = new TrialLaunch.Placement(Map.of("ok", "fine", "x", "bad value"),
                List.of(new TrialLaunch.Toleration("k", "Exists", null, null),
                        new TrialLaunch.Toleration("k", "Equal", "v", "Never")),
                "High_Priority", "trainer", "team-a");
        assertThat(KubernetesNames.placementErrors(p)).containsExactly(
                "nodeSelector: value of 'x': must consist of letters, digits, '-', '_' or '.', and start and end with"
                        + " a letter or digit (e.g. 'MyValue', 'my_value', '12345')",
                "tolerations[1]: effect must be NoSchedule, PreferNoSchedule or NoExecute, not 'Never'",
                "priorityClassName: must consist of lower-case letters, digits, '-' and '.', and start and end with a"
                        + " letter or digit (e.g. 'example.com')");
        assertThat(KubernetesNames.placementErrors(TrialLaunch.Placement.NONE)).isEmpty();
    }

    @Test
    void quantitiesAndImagesAreCheckedLoosely() {
        for (String ok : List.of("500m", "2", "0.5", "8Gi", "1e3", "128974848", ".5")) {
            assertThat(KubernetesNames.quantityError(ok)).as(ok).isEmpty();
        }
        for (String bad : List.of("", "two", "-1", "8 Gi", "8GB", "1.2.3")) {
            assertThat(KubernetesNames.quantityError(bad)).as(bad).isPresent();
        }
        assertThat(KubernetesNames.resourceErrors(new TrialLaunch.TrialResources("1", "lots", -1, "a100 80gb")))
                .containsExactly("memory: must be a Kubernetes quantity such as '500m', '2', '512Mi' or '8Gi'",
                        "gpu: must not be negative",
                        "gpuType: must consist of letters, digits, '-', '_' or '.', and start and end with a letter"
                                + " or digit (e.g. 'MyValue', 'my_value', '12345')");
        assertThat(KubernetesNames.imageReferenceError("registry.example.com:5000/team/train:1.2")).isEmpty();
        assertThat(KubernetesNames.imageReferenceError("python@sha256:" + "a".repeat(64))).isEmpty();
        assertThat(KubernetesNames.imageReferenceError("Team/Train:1")).get().asString().contains("lower case");
        assertThat(KubernetesNames.imageReferenceError("has space")).isPresent();
        assertThat(KubernetesNames.imageReferenceError(" ")).isPresent();
    }
}
