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

    public static String name(Map<String, String> env) {
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
