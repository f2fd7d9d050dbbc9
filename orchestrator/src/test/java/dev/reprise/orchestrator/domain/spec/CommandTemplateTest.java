package dev.reprise.orchestrator.domain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.spec.Specs;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {

    private static final Map<String, Object> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("lr", 0.0001);
        PARAMS.put("layers", 3L);
        PARAMS.put("amp", true);
        PARAMS.put("opt", "adam");
    }

    private static SweepSpec withCommand(String command) {
        return Specs.valid(Specs.sweep("grid", """
                  lr: {value: 0.0001}
                  layers: {value: 3}
                  amp: {value: true}
                  opt: {value: adam}
                """, command));
    }

    @Test
    void usesWandbsDefaultCommandWhenOnlyAProgramIsGiven() {
        assertThat(CommandTemplate.render(withCommand(""), PARAMS))
                .containsExactly("python", "train.py", "--lr=0.0001", "--layers=3", "--amp=true", "--opt=adam");
    }

    @Test
    void expandsEveryArgumentMacro() {
        SweepSpec spec = withCommand("command: ['${env}', run, '${args_no_hyphens}', '${args_no_boolean_flags}', "
                + "'--json=${args_json}', '--lr-again=${params.lr}']");
        assertThat(CommandTemplate.render(spec, PARAMS)).containsExactly("run",
                "lr=0.0001", "layers=3", "amp=true", "opt=adam",
                "--lr=0.0001", "--layers=3", "--amp", "--opt=adam",
                "--json={\"lr\":0.0001,\"layers\":3,\"amp\":true,\"opt\":\"adam\"}",
                "--lr-again=0.0001");
    }

    @Test
    void leavesShellVariablesAlone() {
        SweepSpec spec = withCommand("command: [sh, -c, 'echo ${HOME} $1']");
        assertThat(CommandTemplate.render(spec, PARAMS)).containsExactly("sh", "-c", "echo ${HOME} $1");
    }

    @Test
    void appendsArgsAfterTheCommand() {
        SweepSpec spec = withCommand("command: [python, -m, trainer]\nargs: ['${args}', --verbose]");
        assertThat(CommandTemplate.render(spec, PARAMS)).containsExactly("python", "-m", "trainer",
                "--lr=0.0001", "--layers=3", "--amp=true", "--opt=adam", "--verbose");
    }

    @Test
    void formatsNumbersAsPeopleWriteThem() {
        assertThat(CommandTemplate.format(1.0E-7)).isEqualTo("0.0000001");
        assertThat(CommandTemplate.format(0.5)).isEqualTo("0.5");
        assertThat(CommandTemplate.format(32L)).isEqualTo("32");
    }
}
