package dev.reprise.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.api.messages.Topics;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trial as an attacker on Kafka (docs/security.md#kafka): it holds what its agent holds, the bootstrap address and
 * the agents' credential, and tries to read other runs' reports (run tokens, logs, metrics), to write where reports
 * do not go and to grant itself more. The broker of scripts/services.sh must refuse all of it; forged reports on the
 * report topics are the ingest's to refuse ({@link RunTokenIngestTest}, whose reports are sent with this credential).
 */
@QuarkusTest
class KafkaAclAttackTest {

    private static final List<String> REPORT_TOPICS = List.of(Topics.RUN_EVENTS, Topics.METRICS);

    @BeforeEach
    void theBrokerWantsCredentialsAndTheTestsHaveTheAgents() {
        assertThat(KafkaTestCredentials.agentCredential())
                .as("REPRISE_KAFKA_AGENT_USERNAME/PASSWORD from scripts/services.sh env").isPresent();
        assertThat(KafkaTestCredentials.orchestrator().getProperty("security.protocol"))
                .as("the orchestrator's credential (REPRISE_KAFKA_USERNAME/PASSWORD)").isEqualTo("SASL_PLAINTEXT");
    }

    /** There is something to steal: a record on each report topic, sent as an agent. */
    private static void somethingToSteal() {
        try (Reports reports = new Reports()) {
            for (String topic : REPORT_TOPICS) {
                reports.send(topic, "1", "victim's report".getBytes(StandardCharsets.UTF_8), "rpr_run_1_0_secret");
            }
        }
    }

    @Test
    void anAgentCredentialThatSubscribesToTheRunEventsGetsAnAuthorizationErrorAndNoRecords() {
        somethingToSteal();
        Properties p = KafkaTestCredentials.agent();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "attacker-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> stolen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.RUN_EVENTS));
            assertThatThrownBy(() -> pollFor(c, Duration.ofSeconds(20), stolen))
                    .isInstanceOf(AuthorizationException.class);
        }
        assertThat(stolen).isEmpty();
    }

    @Test
    void anAgentCredentialThatReadsAnyReportTopicWithoutAGroupGetsAnAuthorizationErrorAndNoRecords() {
        somethingToSteal();
        for (String topic : REPORT_TOPICS) {
            List<ConsumerRecord<byte[], byte[]>> stolen = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaTestCredentials.agent(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                TopicPartition partition = new TopicPartition(topic, 0);
                c.assign(List.of(partition));
                assertThatThrownBy(() -> {
                    c.seekToBeginning(List.of(partition));
                    pollFor(c, Duration.ofSeconds(20), stolen);
                }).as(topic).isInstanceOf(AuthorizationException.class);
            }
            assertThat(stolen).as(topic).isEmpty();
        }
    }

    @Test
    void theOrchestratorCredentialReadsWhatTheAgentsCannot() {
        somethingToSteal();
        Properties p = KafkaTestCredentials.orchestrator();
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.RUN_EVENTS, 0);
            c.assign(List.of(partition));
            c.seekToBeginning(List.of(partition));
            Instant end = Instant.now().plusSeconds(60);
            while (read.isEmpty() && Instant.now().isBefore(end)) {
                c.poll(Duration.ofMillis(500)).forEach(read::add);
            }
        }
        assertThat(read).as("the same consumer with the orchestrator's credential reads the topic").isNotEmpty();
    }

    @Test
    void anAgentCredentialCannotWriteOutsideTheReportTopicsNorGrantItselfMore() throws Exception {
        Properties p = KafkaTestCredentials.agent();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String topic : List.of(Topics.METRICS + ".dead-letter", "reprise.attacker-" + UUID.randomUUID())) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, new byte[] {1})).get(30,
                        TimeUnit.SECONDS)).as(topic).satisfiesAnyOf(
                                e -> assertThat(e).isInstanceOf(AuthorizationException.class),
                                e -> assertThat(e).hasCauseInstanceOf(AuthorizationException.class));
            }
        }
        try (Admin admin = Admin.create(KafkaTestCredentials.agent())) {
            AclBinding readEverything = new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, "reprise.", PatternType.PREFIXED),
                    new AccessControlEntry("User:" + KafkaTestCredentials.agentCredential().orElseThrow().username(),
                            "*", AclOperation.READ, AclPermissionType.ALLOW));
            assertThatThrownBy(() -> admin.createAcls(List.of(readEverything)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AuthorizationException.class);
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Reports.bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        try (Admin admin = Admin.create(p)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("a plaintext client gets no answer from a SASL listener").isInstanceOf(Exception.class);
        }
    }

    @Test
    void aClientWithAWrongPasswordFailsAuthentication() {
        var agent = KafkaTestCredentials.agentCredential().orElseThrow();
        Properties p = new Properties();
        p.putAll(new dev.reprise.api.trial.KafkaCredential(agent.username(), agent.password() + "x", null)
                .clientConfig());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Reports.bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(p)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    /** Polls until the time is up, collecting what comes (nothing, when the broker refuses). */
    private static void pollFor(KafkaConsumer<byte[], byte[]> c, Duration d, List<ConsumerRecord<byte[], byte[]>> into) {
        Instant end = Instant.now().plus(d);
        while (Instant.now().isBefore(end)) {
            c.poll(Duration.ofMillis(500)).forEach(into::add);
        }
    }
}
