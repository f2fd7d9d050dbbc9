package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployment assets in k8s/ and helm/reprise/ stay valid, minimal and in step with each other (no cluster). */
class KubernetesManifestsTest {

    static final Path K8S = Path.of("..", "k8s");
    static final Path CHART = Path.of("..", "helm", "reprise");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static KubernetesClient parser; // only parses: it never connects

    @BeforeAll
    static void parser() {
        parser = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1")
                .build()).build();
    }

    @AfterAll
    static void close() {
        parser.close();
    }

    private static List<HasMetadata> load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parser.load(in).items();
        }
    }

    private static <T> T only(List<HasMetadata> items, Class<T> type) {
        return items.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    @Test
    void everyManifestIsAValidKubernetesObjectLabelledAsReprise() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml"))
                    .sorted().toList();
            assertThat(yamls).extracting(p -> p.getFileName().toString())
                    .contains("namespace.yaml", "rbac.yaml", "orchestrator.yaml", "queues.example.yaml");
            for (Path f : yamls) {
                assertThat(load(f)).as(f.toString()).isNotEmpty().allSatisfy(item -> {
                    assertThat(item.getMetadata().getName()).isNotBlank();
                    assertThat(item.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "reprise");
                });
            }
        }
    }

    @Test
    void kustomizationAppliesTheFilesThatExist() throws IOException {
        JsonNode k = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        List<String> resources = new ArrayList<>();
        k.get("resources").forEach(r -> resources.add(r.asText()));
        assertThat(resources).containsExactly("namespace.yaml", "rbac.yaml", "orchestrator.yaml");
        resources.forEach(r -> assertThat(K8S.resolve(r)).exists());
    }

    @Test
    void theRoleGrantsOnlyNamedVerbsOnNamedResourcesAndNeverSecrets() throws IOException {
        Role role = only(load(K8S.resolve("rbac.yaml")), Role.class);
        assertOnlyWhatIsNeeded(role.getRules());
    }

    @Test
    void theRoleIsBoundToTheServiceAccountTheOrchestratorRunsAs() throws IOException {
        List<HasMetadata> rbac = load(K8S.resolve("rbac.yaml"));
        Role role = only(rbac, Role.class);
        RoleBinding binding = only(rbac, RoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo("reprise-orchestrator");
        });
        Deployment d = only(load(K8S.resolve("orchestrator.yaml")), Deployment.class);
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("reprise-orchestrator");
    }

    @Test
    void theOrchestratorPodMeetsTheRestrictedProfileAndUsesTheKubernetesExecutor() throws IOException {
        List<HasMetadata> items = load(K8S.resolve("orchestrator.yaml"));
        PodSpec pod = only(items, Deployment.class).getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        for (Container c : pod.getContainers()) {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        }
        io.fabric8.kubernetes.api.model.ConfigMap cm = only(items, io.fabric8.kubernetes.api.model.ConfigMap.class);
        assertThat(cm.getData()).containsEntry("REPRISE_EXECUTOR", "kubernetes")
                .containsEntry("REPRISE_HTTP_HOST", "0.0.0.0");
        assertThat(only(load(K8S.resolve("namespace.yaml")), io.fabric8.kubernetes.api.model.Namespace.class)
                .getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @Test
    void theExampleQueuesUseOnlySettingsTheSchedulerKnows() throws IOException {
        io.fabric8.kubernetes.api.model.ConfigMap queues = only(load(K8S.resolve("queues.example.yaml")),
                io.fabric8.kubernetes.api.model.ConfigMap.class);
        Properties p = new Properties();
        p.load(new StringReader(queues.getData().get("queues.properties")));
        Pattern key = Pattern.compile("reprise\\.scheduler\\.queues\\.[a-z0-9-]+\\.(max-running|gpu-quota|"
                + "priority-class-name|service-account-name|kueue-queue-name|tolerations|project-gpu-hours|quota-period|"
                + "node-selector\\.\".+\")");
        assertThat(p.stringPropertyNames()).isNotEmpty().allSatisfy(k -> assertThat(k).matches(key));
    }

    // ---- Helm, structurally (real Helm renders it in MonitoringAssetsTest and installs it in HelmOneNodeE2E) ----

    @Test
    void theChartsRoleHasExactlyTheRulesOfTheK8sRole() throws IOException {
        String template = Files.readString(CHART.resolve("templates/rbac.yaml"));
        String rulesBlock = template.substring(template.indexOf("rules:"), template.indexOf("---"));
        JsonNode rules = YAML.readTree(rulesBlock).get("rules");
        List<PolicyRule> helmRules = new ArrayList<>();
        for (JsonNode r : rules) {
            helmRules.add(YAML.treeToValue(r, PolicyRule.class));
        }
        Role role = only(load(K8S.resolve("rbac.yaml")), Role.class);
        assertThat(helmRules).isEqualTo(role.getRules());
        assertOnlyWhatIsNeeded(helmRules);
    }

    @Test
    void everyChartValueIsDocumentedByAComment() throws IOException {
        List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.strip().startsWith("#") || line.strip().startsWith("-")) {
                continue;
            }
            if (!line.matches("\\s*[A-Za-z][A-Za-z0-9]*:.*")) {
                continue;
            }
            String previous = i > 0 ? lines.get(i - 1).strip() : "";
            boolean parentOfDocumented = line.strip().endsWith(":") && i + 1 < lines.size()
                    && lines.get(i + 1).strip().startsWith("#");
            if (!previous.startsWith("#") && !line.contains(" # ") && !parentOfDocumented) {
                undocumented.add((i + 1) + ": " + line);
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void theChartsTemplatesUseOnlyValuesThatExist() throws IOException {
        JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        Pattern ref = Pattern.compile("\\.Values((?:\\.[A-Za-z][A-Za-z0-9]*)+)");
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> templates = Files.list(CHART.resolve("templates"))) {
            for (Path t : templates.toList()) {
                Matcher m = ref.matcher(Files.readString(t));
                while (m.find()) {
                    JsonNode node = values;
                    for (String part : m.group(1).substring(1).split("\\.")) {
                        node = node == null ? null : node.get(part);
                    }
                    if (node == null) {
                        missing.add(t.getFileName() + ": .Values" + m.group(1));
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
        JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertThat(chart.get("apiVersion").asText()).isEqualTo("v2");
        assertThat(chart.get("name").asText()).isEqualTo("reprise");
    }

    @Test
    void everyEnvironmentVariableTheChartSetsForTheExecutorIsAConfigProperty() throws IOException {
        String cm = Files.readString(CHART.resolve("templates/configmap.yaml"));
        Matcher m = Pattern.compile("REPRISE_KUBERNETES_([A-Z_]+):").matcher(cm);
        Set<String> known = Set.of("NAMESPACE", "AGENT_IMAGE", "AGENT_IMAGE_PULL_POLICY", "TTL_SECONDS_AFTER_FINISHED",
                "FAIL_FAST_EXIT_CODES", "RUN_AS_USER", "RUN_AS_GROUP", "FS_GROUP", "LAUNCH_CONCURRENCY",
                "IMAGE_PULL_GRACE", "SERVER_CAPABILITIES", "HOST_NETWORK", "AGENT_KAFKA_SECRET");
        int n = 0;
        while (m.find()) {
            assertThat(known).contains(m.group(1));
            n++;
        }
        assertThat(n).isEqualTo(known.size());
        for (Iterator<String> it = known.iterator(); it.hasNext();) {
            String property = it.next().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            assertThat(methodFor(property)).as(property).isTrue();
        }
    }

    /** Whether reprise.kubernetes.<property> (or agent.x / launch.x) is a method of the config mapping. */
    private static boolean methodFor(String property) {
        Map<String, Class<?>> groups = Map.of("agent-", KubernetesExecutorConfig.Agent.class,
                "launch-", KubernetesExecutorConfig.Launch.class);
        for (Map.Entry<String, Class<?>> g : groups.entrySet()) {
            if (property.startsWith(g.getKey()) && hasMethod(g.getValue(), property.substring(g.getKey().length()))) {
                return true;
            }
        }
        return hasMethod(KubernetesExecutorConfig.class, property);
    }

    private static boolean hasMethod(Class<?> type, String kebab) {
        String camel = Pattern.compile("-([a-z])").matcher(kebab).replaceAll(r -> r.group(1).toUpperCase());
        return Stream.of(type.getMethods()).anyMatch(m -> m.getName().equals(camel));
    }

    private static void assertOnlyWhatIsNeeded(List<PolicyRule> rules) {
        assertThat(rules).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getApiGroups()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*").doesNotContain("secrets");
            assertThat(r.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
            assertThat(r.getResourceNames()).isNullOrEmpty();
            assertThat(r.getNonResourceURLs()).isNullOrEmpty();
        });
        assertThat(rules).flatExtracting(PolicyRule::getResources).containsExactlyInAnyOrder("jobs", "pods", "pods/log",
                "configmaps", "events", "events", "leases");
    }
}
