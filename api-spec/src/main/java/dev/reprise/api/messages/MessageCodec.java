package dev.reprise.api.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON encoding of the agent-orchestrator messages, shared by both sides. Thread-safe.
 *
 * <p>Unknown fields are ignored when decoding, so either side may add fields first. Non-finite doubles are written
 * as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} and read back as such.
 */
public final class MessageCodec {

    static final String TYPE_FIELD = "type";

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] encode(MetricBatch batch) {
        return write(batch);
    }

    public MetricBatch decodeMetricBatch(byte[] json) {
        try {
            return mapper.readValue(json, MetricBatch.class);
        } catch (IOException e) {
            throw new MessageFormatException("not a metric batch: " + originalMessage(e), e);
        }
    }

    public byte[] encode(RunEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put(TYPE_FIELD, RunEventType.of(event).wireName());
        node.setAll((ObjectNode) mapper.valueToTree(event));
        return write(node);
    }

    public RunEvent decodeRunEvent(byte[] json) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new MessageFormatException("not a run event: expected a JSON object", null);
            }
            String typeName = node.path(TYPE_FIELD).asText("");
            RunEventType type = RunEventType.fromWireName(typeName)
                    .orElseThrow(() -> new MessageFormatException("unknown run event type '" + typeName + "'", null));
            ((ObjectNode) node).remove(TYPE_FIELD);
            return mapper.treeToValue(node, type.type());
        } catch (IOException e) {
            throw new MessageFormatException("not a run event: " + originalMessage(e), e);
        }
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }

    /** A message that is not valid JSON of the expected shape. Consumers should log and skip it. */
    public static final class MessageFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MessageFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
