package dev.reprise.agent.report;

/** One encoded Kafka record waiting to be sent. */
record Envelope(String topic, String key, byte[] value) {

    /** Rough memory footprint, for the buffer limit. */
    int size() {
        return value.length + key.length() + topic.length() + 48;
    }
}
