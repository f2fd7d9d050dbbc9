package dev.reprise.orchestrator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * The settings every Kafka client of the orchestrator shares: the bootstrap servers and the orchestrator's own
 * credential ({@code kafka.security.*}, {@code kafka.sasl.*}, {@code kafka.ssl.*}; see
 * {@link KafkaCredentialConfigSource}). Never the agents' credential.
 */
@ApplicationScoped
public class KafkaClients {

    private final String bootstrap;
    private final Map<String, String> security = new TreeMap<>();

    @jakarta.inject.Inject
    public KafkaClients(Config config) {
        this.bootstrap = config.getValue("kafka.bootstrap.servers", String.class);
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.security.") || name.startsWith("kafka.sasl.")
                    || name.startsWith("kafka.ssl.")) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(v -> security.put(name.substring("kafka.".length()), v));
            }
        }
    }

    /** Fixed settings (tests without a broker). */
    KafkaClients(String bootstrap, Map<String, String> security) {
        this.bootstrap = bootstrap;
        this.security.putAll(security);
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** Bootstrap servers and credential settings, to which a client adds its own. */
    public Properties base() {
        Properties p = new Properties();
        p.putAll(security);
        p.put("bootstrap.servers", bootstrap);
        return p;
    }
}
