package dev.reprise.agent;

import dev.reprise.api.trial.KafkaCredential;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The Kafka principals of scripts/services.sh ({@code scripts/services.sh env}): the orchestrator's
 * ({@code REPRISE_KAFKA_USERNAME}/{@code PASSWORD}), which the tests read the report topics with, and the agents'
 * ({@code REPRISE_KAFKA_AGENT_USERNAME}/{@code PASSWORD}, write-only), which an agent under test gets.
 */
final class BrokerCredentials {

    private BrokerCredentials() {
    }

    static Optional<KafkaCredential> named(String userVariable, String passwordVariable) {
        String user = System.getenv(userVariable);
        String password = System.getenv(passwordVariable);
        return user == null || user.isBlank() || password == null || password.isEmpty() ? Optional.empty()
                : Optional.of(new KafkaCredential(user, password, null));
    }

    /** Client settings with the orchestrator's credential (may read), when the broker wants one. */
    static Properties orchestrator() {
        Properties p = new Properties();
        named("REPRISE_KAFKA_USERNAME", "REPRISE_KAFKA_PASSWORD").ifPresent(c -> p.putAll(c.clientConfig()));
        return p;
    }

    /** The agents' credential as an agent's environment: REPRISE_KAFKA_USERNAME/PASSWORD/SASL_MECHANISM. */
    static Map<String, String> agentEnvironment() {
        return named("REPRISE_KAFKA_AGENT_USERNAME", "REPRISE_KAFKA_AGENT_PASSWORD")
                .map(c -> c.toEnvironment().toEnv()).orElse(Map.of());
    }
}
