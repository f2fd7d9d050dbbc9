package dev.reprise.agent;

import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import dev.reprise.agent.report.BufferedReporter;
import dev.reprise.agent.report.LocalReporter;
import dev.reprise.agent.report.Reporter;
import java.util.Map;

/** Chooses the reporter: Kafka when a bootstrap is configured and usable, else local only. */
final class Reporters {

    private Reporters() {
    }

    static Reporter create(AgentOptions o, String agentId, Map<String, String> env, AgentLog log) {
        return create(o, agentId, env, java.util.OptionalInt.empty(), log);
    }

    /** {@code rank}: this agent's node rank in a distributed trial, carried by every report. */
    static Reporter create(AgentOptions o, String agentId, Map<String, String> env, java.util.OptionalInt rank,
            AgentLog log) {
        if (o.kafkaBootstrap().isEmpty()) {
            log.warn("no Kafka bootstrap (--kafka-bootstrap or REPRISE_KAFKA_BOOTSTRAP): running without reporting;"
                    + " output still goes to this log");
            return new LocalReporter();
        }
        configureKafkaLogging(env);
        try {
            return BufferedReporter.kafka(o.kafkaBootstrap().get(), "reprise-agent-" + agentId, o.workDir(),
                    o.bufferBytes(), o.spillBytes(), o.runToken(),
                    dev.reprise.api.trial.KafkaCredential.from(TrialEnvironment.read(env)), rank, log);
        } catch (RuntimeException e) {
            log.warn("cannot use Kafka at " + o.kafkaBootstrap().get() + " (" + e.getMessage()
                    + "): running without reporting");
            return new LocalReporter();
        }
    }

    /**
     * kafka-clients logs through SLF4J (slf4j-simple, to stderr). Its warnings while a broker is down would flood the
     * training log, so the default level is {@code error}; {@code REPRISE_AGENT_LOG_LEVEL} changes it.
     */
    static void configureKafkaLogging(Map<String, String> env) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", TrialEnvironment.read(env).get(TrialVariable.AGENT_LOG_LEVEL).orElse("error"));
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
