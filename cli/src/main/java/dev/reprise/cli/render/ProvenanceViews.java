package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The text view of a run's provenance record ({@code reprise provenance RUN}). */
public final class ProvenanceViews {

    private ProvenanceViews() {
    }

    public static String detail(JsonNode p) {
        DetailRenderer d = new DetailRenderer()
                .field("Run", p.path("runId").asText())
                .field("Sweep", p.path("sweepName").asText() + " (" + p.path("sweepId").asText() + ", project "
                        + p.path("project").asText() + ")")
                .field("Recorded", Cells.timestamp(p.path("recordedAt").asText(null)))
                .field("Spec", p.path("spec").path("format").asText() + ", sha256 "
                        + p.path("spec").path("sha256").asText())
                .field("Config hash", p.path("configHash").asText())
                .field("Seed", text(p.path("seed")))
                .field("Command", String.join(" ", strings(p.path("command"))));
        Map<String, String> image = new LinkedHashMap<>();
        JsonNode i = p.path("image");
        image.put("Ref", text(i.path("ref")));
        image.put("Digest", text(i.path("digest")));
        image.put("Executor", text(i.path("executor")));
        if (!i.path("runtime").isNull() && !i.path("runtime").isMissingNode()) {
            image.put("Runtime", i.path("runtime").asText());
        }
        d.section("Image", image);
        d.field("Data", p.path("data").isNull() || p.path("data").isMissingNode() ? null
                : p.path("data").path("snapshotId").asText() + " at " + p.path("data").path("mountPath").asText());
        JsonNode g = p.path("git");
        d.field("Git", g.isNull() || g.isMissingNode() ? null : text(g.path("repo")) + " " + text(g.path("commit"))
                + (g.path("branch").isTextual() ? " (" + g.path("branch").asText() + ")" : "")
                + (g.path("dirty").asBoolean(false) ? ", dirty" : ""));
        d.field("Agent", text(p.path("agentVersion")));
        d.field("Node", text(p.path("nodeName")));
        d.field("GPU", text(p.path("gpuModel")));
        if (p.path("rerunOf").isNumber()) {
            d.field("Re-run of", p.path("rerunOf").asText());
        }
        if (p.path("clonedFrom").isNumber()) {
            d.field("Cloned from", "sweep " + p.path("clonedFrom").asText());
        }
        d.section("Parameters", fields(p.path("parameters")));
        d.section("Environment", fields(p.path("env")));
        return d.render();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    private static java.util.List<String> strings(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> fields(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isValueNode()
                ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }
}
