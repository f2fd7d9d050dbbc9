import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UpgradeCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small command line over real Helm 3 (helm-java), for scripts/helm.sh:
 *
 * <pre>
 *   install|upgrade RELEASE CHART [-n NAMESPACE] [--kubeconfig FILE] [-f VALUES]... [--set KEY=VALUE]...
 *                                 [--wait] [--timeout SECONDS]
 *   uninstall RELEASE [-n NAMESPACE] [--kubeconfig FILE]
 * </pre>
 * upgrade installs when the release does not exist (helm upgrade --install).
 */
public final class HelmCli {

    public static void main(String[] args) {
        if (args.length < 2) {
            usage();
        }
        String verb = args[0];
        String release = args[1];
        String chart = null;
        String namespace = "default";
        Path kubeconfig = null;
        List<Path> values = new ArrayList<>();
        List<String[]> sets = new ArrayList<>();
        boolean wait = false;
        int timeout = 300;
        int i = 2;
        if (!verb.equals("uninstall")) {
            if (args.length < 3) {
                usage();
            }
            chart = args[2];
            i = 3;
        }
        for (; i < args.length; i++) {
            switch (args[i]) {
                case "-n", "--namespace" -> namespace = args[++i];
                case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
                case "-f", "--values" -> values.add(Path.of(args[++i]));
                case "--set" -> {
                    String kv = args[++i];
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        usage();
                    }
                    sets.add(new String[] {kv.substring(0, eq), kv.substring(eq + 1)});
                }
                case "--wait" -> wait = true;
                case "--timeout" -> timeout = Integer.parseInt(args[++i]);
                default -> usage();
            }
        }
        try {
            switch (verb) {
                case "install" -> {
                    InstallCommand c = new Helm(Path.of(chart)).install().withName(release).withNamespace(namespace)
                            .withTimeout(timeout);
                    if (kubeconfig != null) {
                        c.withKubeConfig(kubeconfig);
                    }
                    values.forEach(c::withValuesFile);
                    sets.forEach(s -> c.set(s[0], s[1]));
                    if (wait) {
                        c.waitReady();
                    }
                    print(c.call());
                }
                case "upgrade" -> {
                    UpgradeCommand c = new Helm(Path.of(chart)).upgrade().withName(release).withNamespace(namespace)
                            .install().withTimeout(timeout);
                    if (kubeconfig != null) {
                        c.withKubeConfig(kubeconfig);
                    }
                    values.forEach(c::withValuesFile);
                    sets.forEach(s -> c.set(s[0], s[1]));
                    if (wait) {
                        c.waitReady();
                    }
                    print(c.call());
                }
                case "uninstall" -> {
                    var c = Helm.uninstall(release).withNamespace(namespace);
                    if (kubeconfig != null) {
                        c.withKubeConfig(kubeconfig);
                    }
                    System.out.println(c.call());
                }
                default -> usage();
            }
        } catch (RuntimeException e) {
            System.err.println("helm " + verb + " " + release + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void print(Release r) {
        System.out.println("release " + r.getName() + " in " + r.getNamespace() + ": " + r.getStatus()
                + " (revision " + r.getRevision() + ", chart " + r.getChart() + ")");
    }

    private static void usage() {
        System.err.println("usage: helm.sh install|upgrade RELEASE CHART [-n NS] [--kubeconfig FILE] [-f VALUES]..."
                + " [--set KEY=VALUE]... [--wait] [--timeout SECONDS]\n       helm.sh uninstall RELEASE [-n NS]"
                + " [--kubeconfig FILE]");
        System.exit(2);
    }
}
