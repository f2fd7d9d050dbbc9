package dev.reprise.orchestrator.messaging;

import dev.reprise.api.trial.KafkaCredential;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the orchestrator's Kafka credential ({@code reprise.kafka.username}/{@code password}/{@code sasl-mechanism},
 * from {@code REPRISE_KAFKA_USERNAME}/{@code REPRISE_KAFKA_PASSWORD}) into the standard client settings
 * {@code kafka.security.protocol}, {@code kafka.sasl.mechanism} and {@code kafka.sasl.jaas.config}, which Quarkus'
 * Kafka health check and {@link KafkaClients} read. Without a username nothing is added (a broker without
 * authentication). Settings given explicitly (an mTLS setup, say) win: this source's ordinal is below
 * application.properties'.
 */
public class KafkaCredentialConfigSource implements ConfigSourceFactory {

    static final String USERNAME = "reprise.kafka.username";
    static final String PASSWORD = "reprise.kafka.password";
    static final String MECHANISM = "reprise.kafka.sasl-mechanism";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Optional<String> user = value(context, USERNAME);
        Optional<String> password = value(context, PASSWORD);
        Map<String, String> settings = new HashMap<>();
        if (user.isPresent()) {
            if (password.isEmpty()) {
                throw new IllegalStateException(USERNAME + " (REPRISE_KAFKA_USERNAME) is set but not "
                        + PASSWORD + " (REPRISE_KAFKA_PASSWORD)");
            }
            new KafkaCredential(user.get(), password.get(), value(context, MECHANISM).orElse(null)).clientConfig()
                    .forEach((k, v) -> settings.put("kafka." + k, v));
        }
        return List.of(new MapBackedConfigSource("reprise Kafka credential", settings, 200) {
        });
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return Optional.ofNullable(v == null ? null : v.getValue()).map(String::strip).filter(s -> !s.isEmpty());
    }
}
