package dev.reprise.orchestrator.api.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.orchestrator.application.mlflow.FullRun;
import dev.reprise.orchestrator.application.mlflow.MlflowException;
import dev.reprise.orchestrator.application.mlflow.MlflowLogging;
import dev.reprise.orchestrator.domain.mlflow.DatasetInput;
import dev.reprise.orchestrator.domain.mlflow.Experiment;
import dev.reprise.orchestrator.domain.mlflow.MlflowStatus;
import dev.reprise.orchestrator.domain.mlflow.RunData;
import dev.reprise.orchestrator.domain.mlflow.TrackedRun;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads MLflow's JSON requests (protobuf JSON: int64 as numbers or strings, doubles as numbers or "NaN",
 * "Infinity", "-Infinity", bare NaN tolerated) and writes its responses (non-finite doubles as those strings).
 */
final class MlflowJson {

    /** Doubles parsed with Jackson's fast parser (exactly rounded, as {@link Double#parseDouble}). */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private MlflowJson() {
    }

    /** The request body as an object; an empty body is an empty object. */
    static JsonNode body(String text) {
        if (text == null || text.isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw MlflowException.malformed("The request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw MlflowException.malformed("Malformed JSON request body: " + e.getOriginalMessage());
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw MlflowException.invalid("Invalid value for parameter '" + field + "': expected a string");
        }
        return n.asText();
    }

    static String required(JsonNode body, String field) {
        String v = text(body, field);
        if (v == null) {
            throw MlflowException.invalid("Missing value for required parameter '" + field + "'.");
        }
        return v;
    }

    /** run_id, or the older run_uuid. */
    static String runId(JsonNode body) {
        String id = text(body, "run_id");
        if (id == null) {
            id = text(body, "run_uuid");
        }
        if (id == null) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        return id;
    }

    static Long int64(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().strip());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        if (n.isFloatingPointNumber() && n.asDouble() == Math.rint(n.asDouble())) {
            return (long) n.asDouble();
        }
        throw MlflowException.invalid("Invalid value " + n + " for parameter '" + field
                + "' supplied: expected an integer");
    }

    static Integer int32(JsonNode body, String field) {
        Long v = int64(body, field);
        if (v == null) {
            return null;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw MlflowException.invalid("Invalid value " + v + " for parameter '" + field + "'");
        }
        return v.intValue();
    }

    static double dbl(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            throw MlflowException.invalid("Missing value for required parameter '" + field + "'.");
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            String s = n.asText().strip();
            switch (s) {
                case "NaN", "nan":
                    return Double.NaN;
                case "Infinity", "inf", "+Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity", "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        // fall through
                    }
            }
        }
        throw MlflowException.invalid("Invalid value " + n + " for parameter '" + field + "': expected a number");
    }

    static List<String> strings(JsonNode body, String field) {
        JsonNode n = body.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else {
            out.add(n.asText());
        }
        return out;
    }

    /** A list of {key, value} objects as an ordered map; duplicate keys keep the last value. */
    static Map<String, String> keyValues(JsonNode body, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw MlflowException.invalid("Invalid value for parameter '" + field + "': expected a list");
        }
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw MlflowException.invalid("Invalid value for parameter '" + field + "': expected objects");
            }
            String key = required(e, "key");
            out.put(key, required(e, "value"));
        }
        return out;
    }

    static List<MlflowLogging.Metric> metrics(JsonNode body) {
        List<MlflowLogging.Metric> out = new ArrayList<>();
        JsonNode n = body.get("metrics");
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw MlflowException.invalid("Invalid value for parameter 'metrics': expected a list");
        }
        for (JsonNode m : n) {
            out.add(metric(m));
        }
        return out;
    }

    static MlflowLogging.Metric metric(JsonNode m) {
        if (!m.isObject()) {
            throw MlflowException.invalid("Invalid value for parameter 'metrics': expected objects");
        }
        Long ts = int64(m, "timestamp");
        if (ts == null) {
            throw MlflowException.invalid("Missing value for required parameter 'timestamp'.");
        }
        Long step = int64(m, "step");
        return new MlflowLogging.Metric(required(m, "key"), dbl(m.get("value"), "value"), ts,
                step == null ? 0 : step);
    }

    /** A log-batch request: the run, its metrics, params and tags. */
    record LogBatch(String runId, List<MlflowLogging.Metric> metrics, Map<String, String> params,
                    Map<String, String> tags) {
    }

    /**
     * A log-batch request read from its body, as {@link #body}, {@link #runId}, {@link #metrics} and
     * {@link #keyValues} read it (the same values, the same errors in the same order), but with the metrics array
     * streamed: each metric of the usual shape (a string key, a number value, integer timestamp and step) goes
     * straight from the parser into a {@link MlflowLogging.Metric}, without a tree of nodes. Anything else (another
     * charset, malformed JSON, a body that is not an object, a metric of another shape) takes the tree path.
     */
    static LogBatch logBatch(byte[] body, Charset charset) {
        if (StandardCharsets.UTF_8.equals(charset)) {
            try {
                LogBatch streamed = streamedLogBatch(body);
                if (streamed != null) {
                    return streamed;
                }
            } catch (IOException e) {
                // malformed: the tree path reports it as it always did
            }
        }
        return logBatch(body(new String(body, charset)));
    }

    /** A log-batch request from its body as a tree. */
    static LogBatch logBatch(JsonNode b) {
        return new LogBatch(runId(b), metrics(b), keyValues(b, "params"), keyValues(b, "tags"));
    }

    /** The request, or null where the tree path must read it; IOException where the JSON is malformed. */
    private static LogBatch streamedLogBatch(byte[] body) throws IOException {
        try (JsonParser p = MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode rest = MAPPER.createObjectNode();
            List<MlflowLogging.Metric> metrics = null;
            MlflowException refused = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("metrics".equals(field) && value == JsonToken.START_ARRAY) {
                    rest.remove(field);
                    metrics = new ArrayList<>();
                    refused = null;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (refused != null) {
                            p.skipChildren();
                            continue;
                        }
                        try {
                            metrics.add(metric(p));
                        } catch (MlflowException e) {
                            refused = e; // thrown after the run id is checked, as the tree path does
                        }
                    }
                } else {
                    if ("metrics".equals(field)) {
                        metrics = null;
                        refused = null;
                    }
                    rest.set(field, p.readValueAsTree());
                }
            }
            String runId = runId(rest);
            if (metrics == null) {
                metrics = metrics(rest);
            } else if (refused != null) {
                throw refused;
            }
            return new LogBatch(runId, metrics, keyValues(rest, "params"), keyValues(rest, "tags"));
        }
    }

    /** One metric of the array, the parser on its first token; as {@link #metric(JsonNode)} reads it. */
    private static MlflowLogging.Metric metric(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return metric((JsonNode) p.readValueAsTree());
        }
        String key = null;
        double value = 0;
        long timestamp = 0;
        long step = 0;
        boolean hasValue = false;
        boolean hasTimestamp = false;
        boolean hasStep = false;
        ObjectNode node = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            if (node == null) {
                boolean usual = switch (field) {
                    case "key" -> token == JsonToken.VALUE_STRING;
                    case "value" -> token == JsonToken.VALUE_NUMBER_FLOAT || isLong(p, token);
                    case "timestamp", "step" -> isLong(p, token);
                    default -> true;
                };
                if (usual) {
                    switch (field) {
                        case "key" -> key = p.getText();
                        case "value" -> {
                            value = p.getDoubleValue();
                            hasValue = true;
                        }
                        case "timestamp" -> {
                            timestamp = p.getLongValue();
                            hasTimestamp = true;
                        }
                        case "step" -> {
                            step = p.getLongValue();
                            hasStep = true;
                        }
                        default -> p.skipChildren();
                    }
                    continue;
                }
                node = partialMetric(key, hasValue, value, hasTimestamp, timestamp, hasStep, step);
            }
            node.set(field, p.readValueAsTree());
        }
        if (node == null && (key == null || !hasValue || !hasTimestamp)) {
            node = partialMetric(key, hasValue, value, hasTimestamp, timestamp, hasStep, step);
        }
        return node != null ? metric(node) : new MlflowLogging.Metric(key, value, timestamp, step);
    }

    /** An integer that fits a long (bigger ones go through the tree, which refuses them). */
    private static boolean isLong(JsonParser p, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }

    /** The fields of a metric read so far, as the tree path would hold them. */
    private static ObjectNode partialMetric(String key, boolean hasValue, double value, boolean hasTimestamp,
            long timestamp, boolean hasStep, long step) {
        ObjectNode node = MAPPER.createObjectNode();
        if (key != null) {
            node.put("key", key);
        }
        if (hasValue) {
            node.put("value", value);
        }
        if (hasTimestamp) {
            node.put("timestamp", timestamp);
        }
        if (hasStep) {
            node.put("step", step);
        }
        return node;
    }

    /** Query parameters as a request object; repeated ones (order_by, experiment_ids) as lists. */
    static JsonNode query(UriInfo uri) {
        ObjectNode o = MlflowJson.MAPPER.createObjectNode();
        uri.getQueryParameters().forEach((k, values) -> {
            if (values.size() == 1 && !k.equals("order_by") && !k.equals("experiment_ids")) {
                o.put(k, values.get(0));
            } else {
                ArrayNode a = o.putArray(k);
                values.forEach(a::add);
            }
        });
        return o;
    }

    // ---- responses

    static Response ok(JsonNode node) {
        try {
            return Response.ok(MAPPER.writeValueAsString(node), MediaType.APPLICATION_JSON).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response empty() {
        return ok(MAPPER.createObjectNode());
    }

    static void putDouble(ObjectNode o, String field, double v) {
        if (Double.isNaN(v)) {
            o.put(field, "NaN");
        } else if (Double.isInfinite(v)) {
            o.put(field, v > 0 ? "Infinity" : "-Infinity");
        } else {
            o.put(field, v);
        }
    }

    static ObjectNode experiment(Experiment e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("experiment_id", String.valueOf(e.id()));
        o.put("name", e.name());
        o.put("artifact_location", "mlflow-artifacts:/" + e.id());
        o.put("lifecycle_stage", e.lifecycleStage());
        o.put("last_update_time", e.updatedAt().toEpochMilli());
        o.put("creation_time", e.createdAt().toEpochMilli());
        ArrayNode tags = o.putArray("tags");
        Map<String, String> all = new LinkedHashMap<>(e.tags());
        all.putIfAbsent("reprise.project", e.project());
        all.forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
        return o;
    }

    static ObjectNode runInfo(TrackedRun r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("run_id", String.valueOf(r.id()));
        o.put("run_uuid", String.valueOf(r.id()));
        o.put("run_name", r.displayName());
        o.put("experiment_id", String.valueOf(r.sweepId()));
        o.put("user_id", r.userId());
        o.put("status", MlflowStatus.of(r.state()).name());
        Instant start = r.startedAt() != null ? r.startedAt() : r.createdAt();
        o.put("start_time", start.toEpochMilli());
        if (r.finishedAt() != null) {
            o.put("end_time", r.finishedAt().toEpochMilli());
        }
        o.put("artifact_uri", "mlflow-artifacts:/" + r.sweepId() + "/" + r.id() + "/artifacts");
        o.put("lifecycle_stage", r.lifecycleStage());
        return o;
    }

    static ObjectNode run(FullRun run) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("info", runInfo(run.info()));
        ObjectNode data = o.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        for (RunData.LatestMetric m : run.data().metrics()) {
            ObjectNode mn = metrics.addObject().put("key", m.key());
            putDouble(mn, "value", m.value());
            mn.put("timestamp", m.timestampMillis()).put("step", m.step());
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (run.info().parametersJson() != null) {
            try {
                Iterator<Map.Entry<String, JsonNode>> fields = MAPPER.readTree(run.info().parametersJson()).fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    params.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText()
                            : f.getValue().toString());
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        params.putAll(run.data().params());
        ArrayNode pa = data.putArray("params");
        params.forEach((k, v) -> pa.addObject().put("key", k).put("value", v));
        Map<String, String> tags = new LinkedHashMap<>(run.data().tags());
        tags.putIfAbsent("mlflow.runName", run.info().displayName());
        tags.putIfAbsent("mlflow.user", run.info().userId());
        ArrayNode ta = data.putArray("tags");
        tags.forEach((k, v) -> ta.addObject().put("key", k).put("value", v));
        ArrayNode inputs = o.putObject("inputs").putArray("dataset_inputs");
        for (DatasetInput i : run.data().inputs()) {
            ObjectNode in = inputs.addObject();
            try {
                in.set("tags", MAPPER.readTree(i.tagsJson()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            ObjectNode d = in.putObject("dataset");
            d.put("name", i.name()).put("digest", i.digest()).put("source_type", i.sourceType())
                    .put("source", i.source());
            if (i.schema() != null) {
                d.put("schema", i.schema());
            }
            if (i.profile() != null) {
                d.put("profile", i.profile());
            }
        }
        return o;
    }
}
