package dev.reprise.orchestrator.domain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecTreeTest {

    @Test
    void writesANormalisedSpecThatReadsBackEqual() {
        SweepSpec spec = Specs.valid(Specs.sweep("random", """
                  a: {value: 3}
                  b: {values: [x, y], probabilities: [0.25, 0.75]}
                  c: {min: 1, max: 9, q: 2}
                  d: {distribution: q_uniform, min: 0, max: 1, q: 0.1}
                  e: {distribution: log_uniform, min: -5, max: 0}
                  f: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
                  g: {distribution: q_log_uniform_values, min: 1, max: 1024, q: 1}
                  h: {distribution: q_normal, mu: 1, sigma: 2, q: 0.5}
                  i: {distribution: log_normal}
                """, "max_trials: 9", "metric: {name: loss}", "resources: {cpu: 2, gpu: 1}",
                "git: {commit: abcdef1, dirty: true}", "early_terminate: {type: hyperband, min_iter: 2, eta: 2}", "data: {snapshot: 'digits:v3'}", "env: {A: '1'}",
                "command: ['${interpreter}', '${program}', '${args}']", "args: [--verbose]"));
        Map<String, Object> tree = SpecTree.toTree(spec);
        SpecResult again = Specs.PARSER.parse(tree, null);
        assertThat(again).isEqualTo(new SpecResult.Valid(spec));
    }
}
