package dev.reprise.api.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaCredentialTest {

    @Test
    void travelsThroughTheTrialEnvironmentAndBecomesScramClientSettings() {
        KafkaCredential agent = new KafkaCredential("reprise-agent", "p\"w", null);

        KafkaCredential read = KafkaCredential.from(TrialEnvironment.read(agent.toEnvironment().toEnv())).orElseThrow();

        assertThat(read).isEqualTo(agent);
        assertThat(read.clientConfig()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"reprise-agent\" password=\"p\\\"w\";");
        assertThat(read.toString()).doesNotContain("p\"w");
    }

    @Test
    void anEnvironmentWithoutAPasswordHasNoCredential() {
        assertThat(KafkaCredential.from(TrialEnvironment.empty().with(TrialVariable.KAFKA_USERNAME, "a"))).isEmpty();
    }

    @Test
    void refusesUnknownMechanisms() {
        assertThatThrownBy(() -> new KafkaCredential("a", "b", "GSSAPI")).hasMessageContaining("GSSAPI");
    }
}
