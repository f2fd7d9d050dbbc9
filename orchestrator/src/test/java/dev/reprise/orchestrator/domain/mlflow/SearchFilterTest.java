package dev.reprise.orchestrator.domain.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.orchestrator.domain.mlflow.SearchFilter.Clause;
import dev.reprise.orchestrator.domain.mlflow.SearchFilter.Entity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchFilterTest {

    @Test
    void parsesMetricsParamsTagsAndAttributesJoinedByAnd() {
        assertThat(SearchFilter.parse("metrics.acc > 0.9 and params.lr = '0.01' AND tags.\"team name\" != 'x'"
                + " and attributes.status IN ('FINISHED', 'RUNNING') and start_time >= 1700000000000"))
                .containsExactly(
                        new Clause(Entity.METRIC, "acc", ">", List.of(0.9)),
                        new Clause(Entity.PARAM, "lr", "=", List.of("0.01")),
                        new Clause(Entity.TAG, "team name", "!=", List.of("x")),
                        new Clause(Entity.ATTRIBUTE, "status", "IN", List.of("FINISHED", "RUNNING")),
                        new Clause(Entity.ATTRIBUTE, "start_time", ">=", List.of(1.7e12)));
    }

    @Test
    void acceptsMlflowsSpellingsOfEntitiesQuotedKeysAndStringComparators() {
        assertThat(SearchFilter.parse("metric.`val-loss` <= -1e-3 and param.optimizer LIKE 'ad%'"
                + " and tag.mlflow.runName ILIKE '%Run%' and run.run_name NOT IN ('a', 'it''s')"
                + " and attr.run_id = 'r1' and parameters.x <> 'y'"))
                .containsExactly(
                        new Clause(Entity.METRIC, "val-loss", "<=", List.of(-1e-3)),
                        new Clause(Entity.PARAM, "optimizer", "LIKE", List.of("ad%")),
                        new Clause(Entity.TAG, "mlflow.runName", "ILIKE", List.of("%Run%")),
                        new Clause(Entity.ATTRIBUTE, "run_name", "NOT IN", List.of("a", "it's")),
                        new Clause(Entity.ATTRIBUTE, "run_id", "=", List.of("r1")),
                        new Clause(Entity.PARAM, "x", "!=", List.of("y")));
        assertThat(SearchFilter.parse("  ")).isEmpty();
        assertThat(SearchFilter.parse(null)).isEmpty();
    }

    @Test
    void refusesWhatMlflowRefusesWithAMessage() {
        Map<String, String> refused = Map.of(
                "metrics.acc = 1 or params.x = 'y'", "AND only",
                "metrics.acc >> 1", "expected a number",
                "metrics.acc LIKE '1'", "Invalid comparator",
                "params.lr > '0.1'", "Invalid comparator",
                "params.lr = 0.1", "Expected a quoted string",
                "metrics.acc > 'high'", "Expected a number",
                "attributes.colour = 'red'", "Invalid attribute key",
                "datasets.name = 'x'", "Invalid entity type",
                "params.lr = 'unterminated", "unterminated",
                "tags.x IN ('a', 'b'", "expected ')'");
        refused.forEach((filter, message) -> assertThatThrownBy(() -> SearchFilter.parse(filter))
                .as(filter).isInstanceOf(SearchFilter.InvalidFilterException.class).hasMessageContaining(message));
    }

    @Test
    void experimentFiltersKnowTheExperimentsAttributes() {
        assertThat(SearchFilter.parseExperiments("name LIKE 'vision-%' and attributes.creation_time > 0"
                + " and tags.team = 'x'")).containsExactly(
                        new Clause(Entity.ATTRIBUTE, "name", "LIKE", List.of("vision-%")),
                        new Clause(Entity.ATTRIBUTE, "creation_time", ">", List.of(0.0)),
                        new Clause(Entity.TAG, "team", "=", List.of("x")));
        assertThatThrownBy(() -> SearchFilter.parseExperiments("status = 'RUNNING'"))
                .isInstanceOf(SearchFilter.InvalidFilterException.class).hasMessageContaining("Invalid attribute");
        assertThatThrownBy(() -> SearchFilter.parse("name = 'x'"))
                .isInstanceOf(SearchFilter.InvalidFilterException.class).hasMessageContaining("Invalid attribute");
    }

    @Test
    void parsesOrderByTermsWithTheirDirection() {
        assertThat(OrderBy.parse("metrics.acc DESC")).isEqualTo(new OrderBy(Entity.METRIC, "acc", false));
        assertThat(OrderBy.parse("params.`learning rate` asc"))
                .isEqualTo(new OrderBy(Entity.PARAM, "learning rate", true));
        assertThat(OrderBy.parse("start_time")).isEqualTo(new OrderBy(Entity.ATTRIBUTE, "start_time", true));
        assertThat(OrderBy.parse("tags.team")).isEqualTo(new OrderBy(Entity.TAG, "team", true));
        assertThatThrownBy(() -> OrderBy.parse("attributes.colour DESC"))
                .isInstanceOf(SearchFilter.InvalidFilterException.class);
        assertThatThrownBy(() -> OrderBy.parse(" DESC")).isInstanceOf(SearchFilter.InvalidFilterException.class);
    }
}
