package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.reprise.orchestrator.api.SpecFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The sweep contract has three faces: the JSON Schema in api-spec, the examples, and the parser. This test keeps them
 * in agreement: every example is valid under both, every invalid example is refused at the field it names, and the
 * schema declares exactly the fields the parser reads.
 */
class SweepContractTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schemaNode() throws IOException {
        try (InputStream in = SweepContractTest.class.getResourceAsStream("/reprise-api/sweep.schema.json")) {
            return JSON.readTree(in);
        }
    }

    private static JsonSchema schema() throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode());
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsValidUnderTheSchemaAndTheParser() throws IOException {
        JsonSchema schema = schema();
        List<Path> files = yamlFiles(EXAMPLES);
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Object tree = Specs.READER.read(Files.readString(file), SpecFormat.YAML);
            Set<ValidationMessage> messages = schema.validate(JSON.valueToTree(tree));
            assertThat(messages).as("schema errors").isEmpty();
            assertThat(Specs.PARSER.parse(tree, null)).isInstanceOf(SpecResult.Valid.class);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidExampleIsRefusedAtTheFieldItNames() throws IOException {
        List<Path> files = yamlFiles(EXAMPLES.resolve("invalid"));
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String text = Files.readString(file);
            String expected = text.lines().findFirst().orElseThrow().replaceFirst("^# expect:\\s*", "").strip();
            List<FieldError> errors = Specs.errors(text);
            assertThat(errors).extracting(FieldError::field).contains(expected);
        }));
    }

    @Test
    void aSecretReferenceInEnvIsValidUnderTheSchemaAndTheParserAndAnIncompleteOneUnderNeither() throws IOException {
        String valid = "name: s\nimage: i\ncommand: [x]\nmethod: grid\nparameters: {a: {value: 1}}\n"
                + "env: {MODE: fast, HF_TOKEN: {secret: hf-token, key: token}}\n";
        Object tree = Specs.READER.read(valid, SpecFormat.YAML);
        assertThat(schema().validate(JSON.valueToTree(tree))).as("schema errors").isEmpty();
        assertThat(Specs.PARSER.parse(tree, null)).isInstanceOf(SpecResult.Valid.class);

        Object incomplete = Specs.READER.read(valid.replace(", key: token", ""), SpecFormat.YAML);
        assertThat(schema().validate(JSON.valueToTree(incomplete))).as("schema errors").isNotEmpty();
        assertThat(Specs.PARSER.parse(incomplete, null)).isInstanceOf(SpecResult.Invalid.class);
    }

    @Test
    void declaresExactlyTheFieldsTheParserReads() throws IOException {
        JsonNode schema = schemaNode();
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        objects.put("", schema);
        objects.put("resources", schema.at("/properties/resources"));
        objects.put("metric", schema.at("/properties/metric"));
        objects.put("data", schema.at("/properties/data"));
        objects.put("git", schema.at("/properties/git"));
        for (Map.Entry<String, JsonNode> e : objects.entrySet()) {
            List<String> declared = propertyNames(e.getValue(), schema);
            assertThat(declared).as("properties of '%s'", e.getKey()).isNotEmpty();
            for (String field : declared) {
                String path = e.getKey().isEmpty() ? field : e.getKey() + "." + field;
                assertThat(unknownFields(path)).as("parser reads '%s'", path).doesNotContain(path);
            }
            String bogus = e.getKey().isEmpty() ? "bogus_field" : e.getKey() + ".bogus_field";
            assertThat(unknownFields(bogus)).as("parser refuses '%s'", bogus).contains(bogus);
        }
    }

    /** Property names of an object schema, following a $ref or the object branch of a oneOf/anyOf. */
    private static List<String> propertyNames(JsonNode node, JsonNode root) {
        if (node.has("$ref")) {
            return propertyNames(root.at(node.get("$ref").asText().substring(1)), root);
        }
        List<String> names = new ArrayList<>();
        if (node.has("properties")) {
            node.get("properties").fieldNames().forEachRemaining(names::add);
            return names;
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            if (node.has(combinator)) {
                for (Iterator<JsonNode> it = node.get(combinator).elements(); it.hasNext(); ) {
                    names.addAll(propertyNames(it.next(), root));
                }
            }
        }
        return names;
    }

    /** Fields reported unknown when the dotted path is set (to an arbitrary value) on a valid sweep. */
    private static List<String> unknownFields(String path) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) Specs.READER.read(Specs.sweep("grid",
                "  lr: {values: [1]}\n", "resources: {}", "metric: {name: x}", "data: {snapshot: d}",
                "git: {}"), SpecFormat.YAML);
        String[] parts = path.split("\\.");
        @SuppressWarnings("unchecked")
        Map<String, Object> target = parts.length == 1 ? tree : (Map<String, Object>) tree.get(parts[0]);
        target.put(parts[parts.length - 1], "x");
        SpecResult result = Specs.PARSER.parse(tree, null);
        if (result instanceof SpecResult.Invalid invalid) {
            return invalid.errors().stream().filter(f -> f.message().equals("unknown field"))
                    .map(FieldError::field).toList();
        }
        return List.of();
    }
}
