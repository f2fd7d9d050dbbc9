package dev.reprise.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** The host (in Kubernetes: pod) name, and agent ids built from it. */
public final class Hosts {

    private Hosts() {
    }

    /**
     * {@code REPRISE_POD_NAME} in a Kubernetes pod (set from the pod's metadata: also right for a pod on the host
     * network, whose {@code HOSTNAME} is the node's, so that two ranks of one trial on one node stay apart), else
     * {@code HOSTNAME}, {@code /etc/hostname}, the resolver's name.
     */
    public static String name(Map<String, String> env) {
        String pod = env.get(dev.reprise.api.trial.TrialVariable.POD_NAME.variable());
        if (pod != null && !pod.isBlank()) {
            return pod.strip();
        }
        String host = env.get("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host.strip();
        }
        try {
            String etc = Files.readString(Path.of("/etc/hostname")).strip();
            if (!etc.isEmpty()) {
                return etc;
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code HOST-xxxxxxxx}: unique per agent process, stable for its life. */
    static String agentId(Map<String, String> env) {
        return name(env) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
