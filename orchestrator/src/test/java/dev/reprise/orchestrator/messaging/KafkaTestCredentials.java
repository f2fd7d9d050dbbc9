package dev.reprise.orchestrator.messaging;

import dev.reprise.api.trial.KafkaCredential;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The two Kafka principals of scripts/services.sh, as the tests' clients need them: the orchestrator's (its settings
 * come from the application's configuration, {@code REPRISE_KAFKA_USERNAME}/{@code PASSWORD}) and the agents'
 * ({@code REPRISE_KAFKA_AGENT_USERNAME}/{@code PASSWORD}, write-only on the report topics).
 */
public final class KafkaTestCredentials {

    private KafkaTestCredentials() {
    }

    /** Bootstrap servers and the orchestrator's credential: what the orchestrator's own clients use. */
    public static Properties orchestrator() {
        Properties p = new Properties();
        var config = ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.security.") || name.startsWith("kafka.sasl.")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> p.put(name.substring(6), v));
            }
        }
        p.put("bootstrap.servers", Reports.bootstrap());
        return p;
    }

    /** The agents' credential, when the broker wants one. */
    public static Optional<KafkaCredential> agentCredential() {
        String user = System.getenv("REPRISE_KAFKA_AGENT_USERNAME");
        String password = System.getenv("REPRISE_KAFKA_AGENT_PASSWORD");
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KafkaCredential(user, password, null));
    }

    /** Bootstrap servers and the agents' credential: what an agent (or a trial that read its agent's) has. */
    public static Properties agent() {
        Properties p = new Properties();
        agentCredential().ifPresent(c -> p.putAll(c.clientConfig()));
        p.put("bootstrap.servers", Reports.bootstrap());
        return p;
    }

    /** The environment an agent process gets for its credential: the agents', never the orchestrator's. */
    public static Map<String, String> agentEnvironment() {
        return agentCredential().map(c -> c.toEnvironment().toEnv()).orElse(Map.of());
    }
}
