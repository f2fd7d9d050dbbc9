package dev.reprise.api.trial;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A SASL credential for Kafka (the agents' principal may only write the report topics; docs/security.md). Written
 * into a trial's environment as {@code REPRISE_KAFKA_USERNAME}, {@code REPRISE_KAFKA_PASSWORD} and
 * {@code REPRISE_KAFKA_SASL_MECHANISM}; {@link #clientConfig()} gives the standard kafka-clients settings, so this
 * contract needs no Kafka dependency.
 */
public record KafkaCredential(String username, String password, String mechanism) {

    public static final String DEFAULT_MECHANISM = "SCRAM-SHA-512";

    public KafkaCredential {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a Kafka credential needs a username and a password");
        }
        mechanism = mechanism == null || mechanism.isBlank() ? DEFAULT_MECHANISM : mechanism.strip();
        if (!mechanism.equals("PLAIN") && !mechanism.startsWith("SCRAM-SHA-")) {
            throw new IllegalArgumentException("unsupported SASL mechanism " + mechanism
                    + " (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)");
        }
    }

    /** The credential in a trial's environment, if it has one. */
    public static Optional<KafkaCredential> from(TrialEnvironment env) {
        Optional<String> user = env.get(TrialVariable.KAFKA_USERNAME);
        Optional<String> password = Optional.ofNullable(env.values().get(TrialVariable.KAFKA_PASSWORD))
                .filter(p -> !p.isEmpty());
        if (user.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KafkaCredential(user.get(), password.get(),
                env.get(TrialVariable.KAFKA_SASL_MECHANISM).orElse(DEFAULT_MECHANISM)));
    }

    /** This credential as trial variables. */
    public TrialEnvironment toEnvironment() {
        return TrialEnvironment.empty().with(TrialVariable.KAFKA_USERNAME, username)
                .with(TrialVariable.KAFKA_PASSWORD, password).with(TrialVariable.KAFKA_SASL_MECHANISM, mechanism);
    }

    /** kafka-clients settings: {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}. */
    public Map<String, String> clientConfig() {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, String> config = new LinkedHashMap<>();
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", mechanism);
        config.put("sasl.jaas.config", module + " required username=\"" + quote(username) + "\" password=\""
                + quote(password) + "\";");
        return config;
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaCredential[" + username + ", " + mechanism + "]";
    }
}
