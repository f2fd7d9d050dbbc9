package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code api-spec/openapi.yaml} is the API's contract, and it must be exactly what the server serves.
 * After an intended API change, regenerate it with {@code ./mvnw -pl orchestrator test -Dtest=OpenApiContractTest
 * -Dreprise.openapi.update=true} and commit the result.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final Path COMMITTED = Path.of("..", "api-spec", "openapi.yaml");

    @Test
    void servesExactlyTheCommittedOpenApiDocument() throws IOException {
        String served = given().queryParam("format", "yaml").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        if (Boolean.getBoolean("reprise.openapi.update")) {
            Files.writeString(COMMITTED, served);
        }
        assertThat(COMMITTED).as("committed OpenAPI document").exists();
        YAMLMapper yaml = new YAMLMapper();
        JsonNode committed = yaml.readTree(Files.readString(COMMITTED));
        assertThat(yaml.readTree(served))
                .as("served /q/openapi differs from api-spec/openapi.yaml; regenerate it (see this test's javadoc)")
                .isEqualTo(committed);
    }

    @Test
    void documentsEveryPublicOperation() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/sweeps'.post.operationId", org.hamcrest.Matchers.equalTo("submitSweep"))
                .body("paths.'/api/v1/sweeps'.get.operationId", org.hamcrest.Matchers.equalTo("listSweeps"))
                .body("paths.'/api/v1/sweeps/{id}'.get.operationId", org.hamcrest.Matchers.equalTo("getSweep"))
                .body("paths.'/api/v1/sweeps/{id}/cancel'.post.operationId",
                        org.hamcrest.Matchers.equalTo("cancelSweep"))
                .body("paths.'/api/v1/sweeps/{id}/runs'.get.operationId", org.hamcrest.Matchers.equalTo("listRuns"))
                .body("paths.'/api/v1/runs/{id}'.get.operationId", org.hamcrest.Matchers.equalTo("getRun"));
    }
}
