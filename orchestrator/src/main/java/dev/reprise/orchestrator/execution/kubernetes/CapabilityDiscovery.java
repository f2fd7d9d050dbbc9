package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.execution.TrialLaunch;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Finds out what the API server supports, once: its version ({@code GET /version}) gives the defaults, then a
 * dry-run create of a trial-shaped Job ({@code dryRun=All}: validated, defaulted and admitted, never stored) shows
 * which fields survive. That catches what the version alone cannot: feature gates switched on or off, and servers
 * that drop unknown fields without an error (a 1.20 server returns the Job without its podFailurePolicy).
 */
public final class CapabilityDiscovery {

    private static final Logger LOG = Logger.getLogger(CapabilityDiscovery.class);
    static final String PROBE_LABEL = "reprise.dev/probe";

    private CapabilityDiscovery() {
    }

    public static Capabilities discover(KubernetesClient client, String namespace, TrialJobFactory factory) {
        VersionInfo version = client.getKubernetesVersion();
        Capabilities byVersion = Capabilities.forVersion(version.getMajor(), version.getMinor());
        try {
            Job accepted = client.batch().v1().jobs().inNamespace(namespace).resource(probeJob(factory)).dryRun()
                    .create();
            boolean pfp = accepted.getSpec() != null && accepted.getSpec().getPodFailurePolicy() != null;
            boolean ttl = accepted.getSpec() != null && accepted.getSpec().getTtlSecondsAfterFinished() != null;
            Capabilities probed = byVersion.withProbe(pfp, ttl);
            LOG.infof("Kubernetes %s.%s (%s): podFailurePolicy %s, ttlSecondsAfterFinished %s", version.getMajor(),
                    version.getMinor(), version.getGitVersion(), pfp ? "kept" : "dropped by the server",
                    ttl ? "kept" : "dropped by the server");
            return probed;
        } catch (KubernetesClientException e) {
            LOG.warnf("Kubernetes %s: the dry-run probe Job was refused (%s); assuming the defaults of this version",
                    version.getGitVersion(), ApiErrors.describe(e));
            return byVersion;
        }
    }

    /** A Job shaped like a real trial (so admission judges the real shape), with every optional field set. */
    static Job probeJob(TrialJobFactory factory) {
        TrialJobFactory probeFactory = new TrialJobFactory(factory.settings().withTtlSecondsAfterFinished(60));
        TrialLaunch launch = new TrialLaunch(0, 0, 0, "reprise-capability-probe", "reprise", 0,
                factory.settings().agentImage(), List.of("true"), Map.of(), null, null, 0, null, "{}", null);
        Job job = probeFactory.desiredJob(launch, Capabilities.MODERN);
        Map<String, String> labels = Map.of(TrialLabels.NAME, TrialLabels.REPRISE, PROBE_LABEL, "true");
        return new JobBuilder(job)
                .editMetadata().withName(null).withGenerateName("reprise-capability-probe-").withLabels(labels)
                .withAnnotations(Map.of()).endMetadata()
                .editSpec().editTemplate().editMetadata().withLabels(labels).endMetadata().endTemplate().endSpec()
                .build();
    }
}
