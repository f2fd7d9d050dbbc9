package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Adds the security schemes to the OpenAPI document (bearer tokens: Reprise API tokens or OIDC JWTs; the dashboard's
 * session cookie), requires one of them on every operation but sign-in, and documents the 401, 403 and 429 answers.
 * Registered with mp.openapi.filter.
 */
public class OpenApiSecurityFilter implements OASFilter {

    private static final String PUBLIC_OPERATION = "login";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme("bearer", OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("A Reprise API token (rpr_api_...), the local admin token, or an OIDC access token "
                        + "(JWT)"));
        openAPI.getComponents().addSecurityScheme("session", OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.COOKIE).name("reprise_session")
                .description("The dashboard's session cookie, from POST /api/v1/session"));
        openAPI.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme("bearer"),
                OASFactory.createSecurityRequirement().addScheme("session")));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> e : item.getOperations().entrySet()) {
                Operation op = e.getValue();
                if (PUBLIC_OPERATION.equals(op.getOperationId())) {
                    op.setSecurity(List.of());
                    continue;
                }
                addIfAbsent(op, "401", "No credentials, or invalid, expired or revoked ones");
                addIfAbsent(op, "403", "The caller's role does not allow this in that project");
                if ("submitSweep".equals(op.getOperationId())) {
                    addIfAbsent(op, "429", "Too many submissions with this credential; see Retry-After");
                }
            }
        }
    }

    private static void addIfAbsent(Operation op, String code, String description) {
        if (op.getResponses() == null || op.getResponses().hasAPIResponse(code)) {
            return;
        }
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))));
        op.getResponses().addAPIResponse(code, response);
    }
}
