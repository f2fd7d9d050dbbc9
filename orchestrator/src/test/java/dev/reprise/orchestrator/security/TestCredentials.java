package dev.reprise.orchestrator.security;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Every {@code @QuarkusTest} talks to the API as the bootstrap admin (the test profile's
 * reprise.security.bootstrap-token): added by a RestAssured filter (installed before each test) to every request
 * without an Authorization header of its own. Tests of authentication itself send their own.
 * Registered in META-INF/services.
 */
public class TestCredentials implements QuarkusTestBeforeEachCallback {

    /** The test profile's bootstrap admin token (application.properties). */
    public static final String ADMIN_TOKEN = "rpr_test_bootstrap_admin_token_for_tests_only_0123456789";

    public static String adminBearer() {
        return "Bearer " + ADMIN_TOKEN;
    }

    /** The run token of a run attempt, as the executors hand it to the trial (only inside a Quarkus test). */
    public static String runToken(long runId, int attempt) {
        return Arc.container().instance(RunTokens.class).get().issue(runId, attempt);
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install();
    }

    public static void install() {
        RestAssured.replaceFiltersWith(ADMIN_BY_DEFAULT);
    }

    /** Adds the admin token to requests that carry no Authorization header of their own. */
    private static final Filter ADMIN_BY_DEFAULT = (request, response, ctx) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", adminBearer());
        }
        return ctx.next(request, response);
    };
}
