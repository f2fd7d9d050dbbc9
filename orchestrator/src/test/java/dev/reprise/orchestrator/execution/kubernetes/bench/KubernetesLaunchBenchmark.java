package dev.reprise.orchestrator.execution.kubernetes.bench;

import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.kubernetes.Backoff;
import dev.reprise.orchestrator.execution.kubernetes.Capabilities;
import dev.reprise.orchestrator.execution.kubernetes.CapabilityDiscovery;
import dev.reprise.orchestrator.execution.kubernetes.KubernetesExecutor;
import dev.reprise.orchestrator.execution.kubernetes.TrialJobFactory;
import dev.reprise.orchestrator.execution.kubernetes.TrialJobSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * How fast trials become Jobs on a real API server: {@link KubernetesExecutor#launchAll} (parallel, Job + ConfigMap
 * per trial) against a plain sequential Fabric8 loop (Job only, and Job + ConfigMap). Not a test (surefire runs
 * {@code *Test} only); run it against {@code scripts/kube-apiserver.sh start}:
 *
 * <pre>
 * ./mvnw -q -pl orchestrator test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * eval "$(scripts/kube-apiserver.sh env)"
 * java -cp orchestrator/target/test-classes:orchestrator/target/classes:$(cat orchestrator/target/cp.txt) \
 *   dev.reprise.orchestrator.execution.kubernetes.bench.KubernetesLaunchBenchmark [trials=1000] [threads=32]
 * </pre>
 *
 * Each variant gets its own namespace (deleted at the end); between variants it waits for the Job controller to
 * finish creating pods so one variant's load does not land on the next one's clock.
 */
public final class KubernetesLaunchBenchmark {

    private KubernetesLaunchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int code = 1;
        try {
            run(args);
            code = 0;
        } finally {
            System.exit(code); // the HTTP client's event-loop threads would keep the JVM alive
        }
    }

    private static void run(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        String kubeconfig = System.getenv().getOrDefault("REPRISE_KUBECONFIG", System.getenv("KUBECONFIG"));
        if (kubeconfig == null) {
            System.err.println("set REPRISE_KUBECONFIG (eval \"$(scripts/kube-apiserver.sh env)\")");
            System.exit(2);
        }
        Config config = Config.fromKubeconfig(Path.of(kubeconfig).toFile());
        TrialJobFactory factory = new TrialJobFactory(TrialJobSettings.defaults());
        List<String> namespaces = new ArrayList<>();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            String probeNs = namespace(client, namespaces);
            Capabilities caps = CapabilityDiscovery.discover(client, probeNs, factory);
            System.out.printf(Locale.ROOT, "server %s (%s), %d trials, %d launch threads, %d CPUs here%n",
                    client.getKubernetesVersion().getGitVersion(), caps, trials, threads,
                    Runtime.getRuntime().availableProcessors());
            warmUp(client, factory, caps, namespace(client, namespaces), threads);

            // 1. the baseline: a plain sequential Fabric8 loop creating the Jobs
            String ns1 = namespace(client, namespaces);
            List<TrialLaunch> l1 = launches(1, trials);
            long t0 = System.nanoTime();
            for (TrialLaunch l : l1) {
                client.batch().v1().jobs().inNamespace(ns1).resource(factory.desiredJob(l, caps)).create();
            }
            double seqJobs = seconds(t0);
            settle(client, ns1, trials);

            // 2. Reprise: launchAll, Job + owned ConfigMap per trial, in parallel
            String ns2 = namespace(client, namespaces);
            List<TrialLaunch> l2 = launches(2, trials);
            double parallel;
            try (KubernetesExecutor executor = new KubernetesExecutor(client, new KubernetesExecutor.Settings(ns2,
                    threads, new Backoff(5, Duration.ofMillis(200), Duration.ofSeconds(10)), Duration.ofMinutes(5),
                    Duration.ZERO), factory, () -> caps, Clock.systemUTC())) {
                t0 = System.nanoTime();
                List<Executor.LaunchFailure> failures = executor.launchAll(l2);
                parallel = seconds(t0);
                if (!failures.isEmpty()) {
                    throw new IllegalStateException(failures.size() + " launches failed, first: "
                            + failures.get(0).error().getMessage());
                }
            }
            check(client, ns2, trials);
            settle(client, ns2, trials);

            // 3. the same work as Reprise (Job + ConfigMap) in a sequential loop
            String ns3 = namespace(client, namespaces);
            List<TrialLaunch> l3 = launches(3, trials);
            t0 = System.nanoTime();
            for (TrialLaunch l : l3) {
                Job job = client.batch().v1().jobs().inNamespace(ns3).resource(factory.desiredJob(l, caps)).create();
                client.configMaps().inNamespace(ns3).resource(TrialJobFactory.ownedBy(factory.desiredConfigMap(l),
                        job)).create();
            }
            double seqBoth = seconds(t0);

            System.out.printf(Locale.ROOT, "%-52s %8s %10s%n", "variant", "seconds", "Jobs/s");
            row("sequential Fabric8 loop, Job only", seqJobs, trials);
            row("sequential Fabric8 loop, Job + ConfigMap", seqBoth, trials);
            row("KubernetesExecutor.launchAll (" + threads + " threads), Job + ConfigMap", parallel, trials);
            System.out.printf(Locale.ROOT, "{\"trials\":%d,\"threads\":%d,\"sequentialJobOnlyPerSec\":%.1f,"
                    + "\"sequentialJobAndConfigMapPerSec\":%.1f,\"launchAllPerSec\":%.1f}%n", trials, threads,
                    trials / seqJobs, trials / seqBoth, trials / parallel);
        } finally {
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                for (String ns : namespaces) {
                    client.batch().v1().jobs().inNamespace(ns).delete();
                    client.namespaces().withName(ns).delete();
                }
            }
        }
    }

    private static void row(String name, double seconds, int trials) {
        System.out.printf(Locale.ROOT, "%-52s %8.2f %10.1f%n", name, seconds, trials / seconds);
    }

    private static List<TrialLaunch> launches(long sweepId, int n) {
        return IntStream.range(0, n).mapToObj(i -> new TrialLaunch(sweepId * 100_000 + i, 0, sweepId, "bench",
                "benchmarks", i, "registry.example.com/team/train:1.2", List.of("python", "train.py", "--seed",
                        Integer.toString(i)), Map.of("REPRISE_RUN_ID", Long.toString(sweepId * 100_000 + i)),
                new TrialLaunch.TrialResources("1", "2Gi", 0, null), "default", 0, "h" + i,
                "{\"seed\":" + i + "}", TrialLaunch.Placement.NONE)).toList();
    }

    /**
     * Warms both sides alike before any clock runs: the sequential loop's calls (Job, then Job + ConfigMap) and the
     * executor's launchAll, each with 20 trials of their own, so that neither pays the client's or the server's
     * first-call costs (connection pool, TLS, serializers, admission) in its measurement.
     */
    private static void warmUp(KubernetesClient client, TrialJobFactory factory, Capabilities caps, String ns,
            int threads) {
        for (TrialLaunch l : launches(7, 20)) {
            Job job = client.batch().v1().jobs().inNamespace(ns).resource(factory.desiredJob(l, caps)).create();
            client.configMaps().inNamespace(ns).resource(TrialJobFactory.ownedBy(factory.desiredConfigMap(l), job))
                    .create();
        }
        try (KubernetesExecutor executor = new KubernetesExecutor(client, new KubernetesExecutor.Settings(ns,
                threads, new Backoff(5, Duration.ofMillis(200), Duration.ofSeconds(10)), Duration.ofMinutes(5),
                Duration.ZERO), factory, () -> caps, Clock.systemUTC())) {
            List<Executor.LaunchFailure> failures = executor.launchAll(launches(9, 20));
            if (!failures.isEmpty()) {
                throw new IllegalStateException("warm-up: " + failures.size() + " launches failed, first: "
                        + failures.get(0).error().getMessage());
            }
        }
    }

    private static String namespace(KubernetesClient client, List<String> namespaces) throws InterruptedException {
        String ns = "reprise-bench-" + UUID.randomUUID().toString().substring(0, 6);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        namespaces.add(ns);
        for (int i = 0; i < 100 && client.serviceAccounts().inNamespace(ns).withName("default").get() == null; i++) {
            Thread.sleep(100);
        }
        return ns;
    }

    private static void check(KubernetesClient client, String ns, int trials) {
        int jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems().size();
        int maps = client.configMaps().inNamespace(ns).withLabel("app.kubernetes.io/managed-by", "reprise").list()
                .getItems().size();
        if (jobs != trials || maps != trials) {
            throw new IllegalStateException("expected " + trials + " Jobs and ConfigMaps, found " + jobs + " and "
                    + maps);
        }
    }

    /** Waits (up to 120 s) until the Job controller has stopped creating pods in {@code ns}. */
    private static void settle(KubernetesClient client, String ns, int trials) throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 120; i++) {
            int pods = client.pods().inNamespace(ns).list().getItems().size();
            if (pods == trials || (pods == last && pods == 0 && i > 5)) {
                return;
            }
            last = pods;
            Thread.sleep(1000);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
