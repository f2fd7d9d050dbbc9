package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecOverridesTest {

    private static Map<String, Object> doc() {
        Map<String, Object> lr = new LinkedHashMap<>(Map.of("min", 0.001, "max", 0.01));
        Map<String, Object> dotted = new LinkedHashMap<>(Map.of("value", 1));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr", lr);
        params.put("opt.beta", dotted);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", "s");
        d.put("max_trials", 10);
        d.put("parameters", params);
        return d;
    }

    private static Map<String, Object> applied(SpecOverrides.Override... overrides) {
        return ((SpecOverrides.Applied) SpecOverrides.apply(doc(), List.of(overrides))).document();
    }

    @Test
    @SuppressWarnings("unchecked")
    void setsTopLevelAndParameterFieldsByDottedPath() {
        Map<String, Object> d = applied(new SpecOverrides.Override("lr.max", 0.1),
                new SpecOverrides.Override("parameters.opt.beta.value", 2), new SpecOverrides.Override("max_trials", 3));

        Map<String, Object> params = (Map<String, Object>) d.get("parameters");
        assertThat((Map<String, Object>) params.get("lr")).containsEntry("max", 0.1).containsEntry("min", 0.001);
        assertThat((Map<String, Object>) params.get("opt.beta")).containsEntry("value", 2);
        assertThat(d).containsEntry("max_trials", 3);
    }

    @Test
    void leavesTheSourceDocumentUntouched() {
        Map<String, Object> source = doc();
        SpecOverrides.apply(source, List.of(new SpecOverrides.Override("lr.max", 0.5)));
        assertThat(source).isEqualTo(doc());
    }

    @Test
    void refusesUnknownObjectsOnThePathAndMalformedPathsNamingTheOverride() {
        SpecOverrides.Result r = SpecOverrides.apply(doc(), List.of(new SpecOverrides.Override("nope.max", 1),
                new SpecOverrides.Override("lr.max.deeper", 1), new SpecOverrides.Override("a..b", 1)));

        assertThat(r).isInstanceOfSatisfying(SpecOverrides.Refused.class, refused ->
                assertThat(refused.errors()).extracting(FieldError::field)
                        .containsExactly("set[0].path", "set[1].path", "set[2].path"));
    }
}
