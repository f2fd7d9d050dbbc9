package dev.reprise.orchestrator.api;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Test helpers for submitting sweep documents. */
final class Sweeps {

    private Sweeps() {
    }

    static String example(String file) {
        try {
            return Files.readString(Path.of("..", "examples", file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text with its {@code name:} replaced by a fresh unique name, so tests never collide across runs. */
    static String renamed(String yaml) {
        return yaml.replaceFirst("(?m)^name: .*$", "name: " + uniqueName());
    }

    static String uniqueName() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }

    static String minimal(String name, String extra) {
        return "name: " + name + "\nimage: python:3.12-slim\nprogram: train.py\nmethod: grid\n"
                + "parameters:\n  lr:\n    values: [0.1, 0.01]\n" + extra;
    }

    private static final RestAssuredConfig TEXT_BODIES = RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
            .encodeContentTypeAs("application/yaml", ContentType.TEXT)
            .encodeContentTypeAs("text/plain", ContentType.TEXT));

    /** A request that sends string bodies as they are, whatever the content type. */
    static RequestSpecification given() {
        return RestAssured.given().config(TEXT_BODIES);
    }

    static ValidatableResponse submitYaml(String yaml) {
        return given().contentType("application/yaml").body(yaml).when().post("/api/v1/sweeps").then();
    }
}
