package dev.reprise.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * NUL and other control or bidirectional characters in every string the API takes: each path parameter, each query
 * parameter and a JSON body of every operation of the served OpenAPI document (so an endpoint added later is covered
 * without touching this test), sent by an admin so that no access rule stops them first. Each must be refused with a
 * 400 problem naming where it was; before the edge check, twelve endpoints answered 500 (PostgreSQL refuses NUL).
 */
@QuarkusTest
class OddInputAttackTest {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL server;

    /** One attack: where it goes and what is sent. */
    record Attack(String operation, String method, String path, String contentType, String body, String where) {
    }

    @Test
    void nulInEveryStringParameterOfEveryEndpointIsRefusedWith400() throws Exception {
        List<Attack> attacks = attacks("a%00b", "a\\u0000b", "name: \"a\\0b\"\n");
        assertThat(attacks).as("attacks derived from /q/openapi").hasSizeGreaterThan(60);
        SoftAssertions soft = new SoftAssertions();
        for (Attack a : attacks) {
            HttpResponse<String> r;
            try {
                r = send(a);
            } catch (AssertionError noAnswer) {
                soft.fail("%s %s %s (%s): %s", a.operation(), a.method(), a.path(), a.where(), noAnswer.getMessage());
                continue;
            }
            soft.assertThat(r.statusCode()).as("%s %s %s (%s)", a.operation(), a.method(), a.path(), a.where())
                    .isEqualTo(400);
            soft.assertThat(r.headers().firstValue("Content-Type").orElse("")).as("%s %s", a.operation(),
                    a.where()).startsWith("application/problem+json");
            soft.assertThat(r.body()).as("%s %s: never echoes the raw character", a.operation(), a.where())
                    .doesNotContain("\u0000");
        }
        soft.assertAll();
    }

    @Test
    void otherControlAndBidiCharactersAreRefusedTooButTabsAndNewlinesInBodiesAreNot() throws Exception {
        for (String encoded : List.of("%07", "%1B", "%7F", "%C2%85", "%E2%80%AE", "%E2%81%A6", "%09", "%0A")) {
            HttpResponse<String> q = send(new Attack("listSweeps", "GET", "/api/v1/sweeps?project=p" + encoded,
                    null, null, "query"));
            assertThat(q.statusCode()).as("query parameter with %s", encoded).isEqualTo(400);
            assertThat(q.body()).contains("\"field\":\"query.project\"");
            HttpResponse<String> p = send(new Attack("getRunMetric", "GET", "/api/v1/runs/1/metrics/loss" + encoded,
                    null, null, "path"));
            assertThat(p.statusCode()).as("metric key in the path with %s", encoded).isEqualTo(400);
        }
        HttpResponse<String> bidiToken = send(new Attack("createToken", "POST", "/api/v1/tokens",
                "application/json", "{\"project\": \"x\", \"role\": \"viewer\", \"name\": \"ci\u202Egnp.exe\"}", "body"));
        assertThat(bidiToken.statusCode()).isEqualTo(400);
        assertThat(bidiToken.body()).contains("\"field\":\"name\"").contains("U+202E");
        String project = SecurityFixture.uniqueProject("odd");
        HttpResponse<String> multiline = send(new Attack("createToken", "POST", "/api/v1/tokens",
                "application/json", "{\"project\": \"" + project + "\", \"role\": \"viewer\", \"expiresIn\": \"1h\", "
                + "\"name\": \"line one\\nline two\\tend\"}", "body"));
        assertThat(multiline.statusCode()).as(multiline.body()).isEqualTo(201);
    }

    /** Every operation with each path parameter, then each query parameter, then its body made odd. */
    private List<Attack> attacks(String urlValue, String jsonValue, String yamlBody) throws Exception {
        HttpResponse<String> doc = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/q/openapi?format=json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode paths = new ObjectMapper().readTree(doc.body()).path("paths");
        List<Attack> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                String id = op.getValue().path("operationId").asText(method + " " + path.getKey());
                List<JsonNode> params = new ArrayList<>();
                path.getValue().path("parameters").forEach(params::add);
                op.getValue().path("parameters").forEach(params::add);
                String template = path.getKey().replaceAll("\\{([a-zA-Z]+)[^}]*}", "{$1}");
                for (JsonNode p : params) {
                    String name = p.path("name").asText();
                    if ("path".equals(p.path("in").asText())) {
                        String url = fill(template, name, urlValue);
                        out.add(new Attack(id, method, url, null, null, "path parameter " + name));
                    }
                }
                String plain = fill(template, null, null);
                for (JsonNode p : params) {
                    if ("query".equals(p.path("in").asText())) {
                        String name = p.path("name").asText();
                        out.add(new Attack(id, method, plain + "?" + name + "=" + urlValue, null, null,
                                "query parameter " + name));
                    }
                }
                JsonNode content = op.getValue().path("requestBody").path("content");
                if (content.has("application/json")) {
                    out.add(new Attack(id, method, plain, "application/json", "{\"name\": \"" + jsonValue
                            + "\", \"project\": \"p\", \"tags\": [\"" + jsonValue + "\"]}", "JSON body"));
                }
                if (content.has("application/yaml")) {
                    out.add(new Attack(id, method, plain, "application/yaml", yamlBody, "YAML body"));
                }
            }
        }
        return out;
    }

    /** The path with its parameters filled: {@code name} with {@code value}, every other with a harmless one. */
    private static String fill(String template, String name, String value) {
        String out = template;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([a-zA-Z]+)}").matcher(template);
        while (m.find()) {
            String p = m.group(1);
            String v = p.equals(name) ? value : p.equals("attempt") ? "0" : p.equals("project") || p.equals("subject")
                    || p.equals("name") || p.equals("key") || p.equals("path") || p.equals("ref") ? "x" : "1";
            out = out.replace("{" + p + "}", v);
        }
        return out;
    }

    private HttpResponse<String> send(Attack a) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + a.path()))
                .header("Authorization", TestCredentials.adminBearer()).timeout(Duration.ofSeconds(20))
                .method(a.method(), a.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(a.body()));
        if (a.contentType() != null) {
            b.header("Content-Type", a.contentType());
        }
        // the whole answer within ANSWER_WITHIN: the request timeout covers only the headers, and an endpoint that
        // streams (server-sent events) instead of refusing the input would otherwise keep the test waiting forever
        java.util.concurrent.CompletableFuture<HttpResponse<String>> answer =
                HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(ANSWER_WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            throw new AssertionError("no complete answer within " + ANSWER_WITHIN.toSeconds() + " s (a stream "
                    + "that accepted the input instead of refusing it)");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(a.method() + " " + a.path() + ": " + e.getCause(), e.getCause());
        }
    }

    private String base() {
        return server.toString().replaceAll("/$", "");
    }
}
