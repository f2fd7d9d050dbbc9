package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import static dev.reprise.orchestrator.domain.spec.Specs.errors;
import static dev.reprise.orchestrator.domain.spec.Specs.sweep;
import static dev.reprise.orchestrator.domain.spec.Specs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepSpecParserTest {

    private static final String LR = "  lr:\n    values: [0.1, 0.01]\n";

    @Test
    void appliesDefaultsToAMinimalGridSweep() {
        SweepSpec spec = valid(sweep("grid", LR));
        assertThat(spec.project()).isEqualTo("default");
        assertThat(spec.queue()).isEqualTo("default");
        assertThat(spec.parallelism()).isEqualTo(1);
        assertThat(spec.priority()).isZero();
        assertThat(spec.maxTrials()).isEqualTo(2);
        assertThat(spec.maxFailedTrials()).isNull();
        assertThat(spec.seed()).as("seed chosen by the server when absent").isEqualTo(42L);
        assertThat(spec.command()).isNull();
        assertThat(spec.resources()).isEqualTo(Resources.NONE);
    }

    @Test
    void infersDistributionsTheWayWandbDoes() {
        SweepSpec spec = valid(sweep("random", """
                  a: {value: 3}
                  b: {values: [x, y]}
                  c: {min: 1, max: 5}
                  d: {min: 0.1, max: 5}
                  e: {min: 1, max: 5.5}
                """, "max_trials: 3"));
        assertThat(spec.parameters().values()).extracting(ParameterSpec::distribution)
                .containsExactly("constant", "categorical", "int_uniform", "uniform", "uniform");
    }

    @Test
    void readsScientificNotationWrittenWithoutADotAsNumbers() {
        SweepSpec spec = valid(sweep("random", "  lr:\n    distribution: log_uniform_values\n"
                + "    min: 1e-5\n    max: 1e-1\n", "max_trials: 3"));
        assertThat(spec.parameters().get("lr")).isEqualTo(new ParameterSpec.LogUniformValues(1e-5, 1e-1));
    }

    @Test
    void rejectsMinGreaterThanMaxAtTheMinField() {
        assertThat(errors(sweep("random", "  lr: {min: 5.0, max: 1.0}\n", "max_trials: 3")))
                .containsExactly(new FieldError("parameters.lr.min", "min (5.0) must be less than max (1.0)"));
    }

    @Test
    void rejectsEmptyValueLists() {
        assertThat(errors(sweep("grid", "  x: {values: []}\n")))
                .extracting(FieldError::field).containsExactly("parameters.x.values");
    }

    @Test
    void rejectsUnknownFieldsAtEveryLevel() {
        List<FieldError> errors = errors(sweep("grid", "  lr: {values: [1], stepsize: 2}\n",
                "controller: {type: local}", "resources: {cpu: 1, gpus: 2}", "metric: {name: loss, goals: max}"));
        assertThat(errors).extracting(FieldError::field)
                .containsExactlyInAnyOrder("parameters.lr.stepsize", "controller", "resources.gpus", "metric.goals");
        assertThat(errors).extracting(FieldError::message).containsOnly("unknown field");
    }

    @Test
    void rejectsWrongTypesWithTheFieldPath() {
        assertThat(errors(sweep("grid", LR, "parallelism: lots", "priority: 1.5", "command: python train.py")))
                .containsExactlyInAnyOrder(
                        new FieldError("parallelism", "must be an integer"),
                        new FieldError("priority", "must be an integer"),
                        new FieldError("command", "must be a list"));
    }

    @Test
    void rejectsParallelismBelowOne() {
        assertThat(errors(sweep("grid", LR, "parallelism: 0")))
                .containsExactly(new FieldError("parallelism", "must be between 1 and 1000"));
    }

    @Test
    void rejectsGridLargerThanMaxTrials() {
        assertThat(errors(sweep("grid", "  a: {values: [1, 2, 3]}\n  b: {values: [1, 2, 3, 4]}\n",
                "max_trials: 10")))
                .containsExactly(new FieldError("max_trials",
                        "the grid has 12 combinations, more than max_trials (10)"));
    }

    @Test
    void rejectsGridLargerThanTheServerCapEvenWhenItOverflowsALong() {
        String huge = "  a: {min: 0, max: 9000000000000000000}\n  b: {min: 0, max: 9000000000000000000}\n";
        List<FieldError> errors = errors(sweep("grid", huge));
        assertThat(errors).extracting(FieldError::field).containsExactly("max_trials");
        assertThat(errors.get(0).message()).contains("more than the server's limit of 10000");
    }

    @Test
    void rejectsContinuousParametersInAGrid() {
        assertThat(errors(sweep("grid", "  lr: {min: 0.1, max: 0.5}\n")))
                .extracting(FieldError::field).containsExactly("parameters.lr");
    }

    @Test
    void requiresATrialCountForRandomSearch() {
        assertThat(errors(sweep("random", LR))).extracting(FieldError::field).containsExactly("max_trials");
    }

    @Test
    void acceptsTheWandbRunCapAliasButNotBothNames() {
        assertThat(valid(sweep("random", LR, "run_cap: 7")).maxTrials()).isEqualTo(7);
        assertThat(errors(sweep("random", LR, "run_cap: 7", "max_trials: 7")))
                .extracting(FieldError::field).containsExactly("run_cap");
    }

    @Test
    void acceptsBayesWithAMetricAndATrialBudget() {
        SweepSpec spec = valid(sweep("bayes", LR, "max_trials: 5", "metric: {name: loss}"));
        assertThat(spec.method()).isEqualTo(Method.BAYES);
        assertThat(spec.maxTrials()).isEqualTo(5);
        assertThat(errors(sweep("bayes", LR, "max_trials: 5"))).extracting(FieldError::field)
                .containsExactly("metric");
        assertThat(errors(sweep("bayes", LR, "metric: {name: loss}"))).extracting(FieldError::field)
                .containsExactly("max_trials");
    }

    @Test
    void readsHyperbandInTheWandbVocabulary() {
        assertThat(valid(sweep("random", LR, "max_trials: 5", "metric: {name: loss}",
                "early_terminate: {type: hyperband, min_iter: 3}")).earlyTerminate())
                .isEqualTo(new EarlyTermination.Hyperband(3, 729, 3));
        assertThat(valid(sweep("random", LR, "max_trials: 5", "metric: {name: loss}",
                "early_terminate: {type: hyperband, max_iter: 27, s: 2, eta: 3}")).earlyTerminate())
                .isEqualTo(new EarlyTermination.Hyperband(3, 27, 3));
        assertThat(valid(sweep("random", LR, "max_trials: 5", "metric: {name: loss}",
                "early_terminate: {type: median, min_iter: 4}")).earlyTerminate())
                .isEqualTo(new EarlyTermination.Median(4, 3));
    }

    @Test
    void rejectsEarlyTerminationThatCannotWork() {
        assertThat(errors(sweep("random", LR, "max_trials: 5", "early_terminate: {type: hyperband, min_iter: 3}")))
                .extracting(FieldError::field).containsExactly("early_terminate");
        assertThat(errors(sweep("random", LR, "max_trials: 5", "metric: {name: loss}",
                "early_terminate: {type: hyperband, min_iter: 3, eta: 1, strict: true}")))
                .extracting(FieldError::field).containsExactlyInAnyOrder("early_terminate.eta",
                        "early_terminate.strict");
        assertThat(errors(sweep("random", LR, "max_trials: 5", "metric: {name: loss}",
                "early_terminate: {type: hyperband, min_iter: 9, max_iter: 3}")))
                .extracting(FieldError::field).containsExactly("early_terminate.max_iter");
        assertThat(errors(sweep("random", LR, "max_trials: 5", "metric: {name: loss}",
                "early_terminate: {type: hyperband}")))
                .extracting(FieldError::field).containsExactly("early_terminate.min_iter");
    }

    @Test
    void rejectsDistributionsNotImplementedYetAndUnknownOnes() {
        List<FieldError> errors = errors(sweep("random", """
                  a: {distribution: beta, min: 0, max: 1}
                  b: {distribution: gaussian}
                """, "max_trials: 3"));
        assertThat(errors).extracting(FieldError::field)
                .containsExactly("parameters.a.distribution", "parameters.b.distribution");
        assertThat(errors.get(0).message()).startsWith("distribution 'beta' is not supported yet");
        assertThat(errors.get(1).message()).startsWith("unknown distribution 'gaussian'");
    }

    @Test
    void requiresNameImageMethodParametersAndACommandOrProgram() {
        assertThat(errors("description: nothing else\n")).extracting(FieldError::field)
                .containsExactlyInAnyOrder("name", "image", "method", "parameters", "command");
    }

    @Test
    void rejectsNamesThatCannotBecomeKubernetesNames() {
        assertThat(errors(sweep("grid", LR).replace("name: test-sweep", "name: Test_Sweep")))
                .extracting(FieldError::field).containsExactly("name");
    }

    @Test
    void reservesTheReprisePrefixInEnv() {
        assertThat(errors(sweep("grid", LR, "env: {REPRISE_RUN_ID: x, GOOD: y}")))
                .extracting(FieldError::field).containsExactly("env.REPRISE_RUN_ID");
    }

    @Test
    void checksCategoricalProbabilities() {
        assertThat(errors(sweep("random", "  a: {values: [1, 2], probabilities: [0.5, 0.6]}\n", "max_trials: 2")))
                .extracting(FieldError::field).containsExactly("parameters.a.probabilities");
        assertThat(errors(sweep("random", "  a: {values: [1, 2], probabilities: [1.0]}\n", "max_trials: 2")))
                .extracting(FieldError::field).containsExactly("parameters.a.probabilities");
    }

    @Test
    void acceptsGpuAsACountOrAnObject() {
        assertThat(valid(sweep("grid", LR, "resources: {gpu: 2}")).resources().gpuCount()).isEqualTo(2);
        Resources r = valid(sweep("grid", LR,
                "resources: {cpu: 500m, memory: 8Gi, gpu: {count: 1, type: nvidia-h100-80gb}}")).resources();
        assertThat(r).isEqualTo(new Resources("500m", "8Gi", 1, "nvidia-h100-80gb"));
        assertThat(errors(sweep("grid", LR, "resources: {memory: 8 gigs}")))
                .extracting(FieldError::field).containsExactly("resources.memory");
    }

    @Test
    void readsNodesAsTheNumberOfNodesOneTrialSpansWithOneByDefault() {
        assertThat(valid(sweep("grid", LR, "resources: {gpu: 2}")).resources().nodes()).isEqualTo(1);
        Resources r = valid(sweep("grid", LR, "resources: {nodes: 4, gpu: 8}")).resources();
        assertThat(r).isEqualTo(new Resources(null, null, 8, null, 4));
        assertThat(r.totalGpus()).isEqualTo(32);
    }

    @Test
    void refusesNodesThatAreNotAPositiveIntegerWithinTheConfiguredMaximum() {
        for (String nodes : List.of("0", "-1", "1.5", "two", "65")) {
            assertThat(errors(sweep("grid", LR, "resources: {nodes: " + nodes + "}")))
                    .as("nodes: %s", nodes).extracting(FieldError::field).containsExactly("resources.nodes");
        }
        SweepSpecParser smallCluster = new SweepSpecParser(new SpecLimits(100, 100, 100, 2), () -> 1L);
        SpecResult r = smallCluster.parse(Specs.READER.read(sweep("grid", LR, "resources: {nodes: 3}"),
                dev.reprise.orchestrator.api.SpecFormat.YAML), null);
        assertThat(r).isInstanceOfSatisfying(SpecResult.Invalid.class, i -> assertThat(i.errors())
                .extracting(FieldError::field).containsExactly("resources.nodes"));
    }

    @Test
    void readsTheTimeLimitAsSecondsOrADurationAndNoLimitByDefault() {
        assertThat(valid(sweep("grid", LR, "resources: {cpu: 1}")).resources().timeLimitSeconds()).isNull();
        Map<String, Long> limits = Map.of("7200", 7200L, "2h", 7200L, "1h30m", 5400L, "90s", 90L, "45m", 2700L,
                "1d", 86400L, "1d2h3m4s", 93784L);
        limits.forEach((written, seconds) -> assertThat(valid(sweep("grid", LR, "resources: {timeLimit: " + written
                + "}")).resources().timeLimitSeconds()).as("timeLimit: %s", written).isEqualTo(seconds));
    }

    @Test
    void refusesTimeLimitsThatAreNotAPositiveDurationOfAtMostThirtyDaysWithTheFieldPath() {
        for (String limit : List.of("0", "-5", "0s", "1.5", "2 hours", "h", "\"\"", "30m2h", "31d", "2592001", "[1]",
                "true")) {
            List<FieldError> errors = errors(sweep("grid", LR, "resources: {timeLimit: " + limit + "}"));
            assertThat(errors).as("timeLimit: %s", limit).extracting(FieldError::field)
                    .containsExactly("resources.timeLimit");
        }
        assertThat(errors(sweep("grid", LR, "resources: {timeLimit: 31d}"))).extracting(FieldError::message)
                .containsExactly("must be at most 30 days (2592000 seconds)");
    }

    @Test
    void theTimeLimitSurvivesTheStoredSpec() {
        SweepSpec spec = valid(sweep("grid", LR, "resources: {memory: 1Gi, timeLimit: 1h30m}"));
        Object stored = SpecTree.toTree(spec).get("resources");
        assertThat(stored).isEqualTo(Map.of("memory", "1Gi", "timeLimit", 5400L));
    }

    @Test
    void rejectsMacrosThatCannotWorkInTheCommand() {
        assertThat(errors(sweep("grid", LR, "command: ['python train.py ${args}', '${params.nope}', "
                + "'${args_json_file}']")))
                .extracting(FieldError::field).containsExactly("command[0]", "command[1]", "command[2]");
    }

    @Test
    void letsAProjectOverrideReplaceTheDocumentsProject() {
        Object tree = Specs.READER.read(sweep("grid", LR, "project: vision"), dev.reprise.orchestrator.api
                .SpecFormat.YAML);
        SpecResult r = Specs.PARSER.parse(tree, "nlp");
        assertThat(((SpecResult.Valid) r).spec().project()).isEqualTo("nlp");
    }

    @Test
    void readsASecretReferenceInEnvAndWritesItBackWithoutAValue() {
        SweepSpec spec = valid(sweep("grid", LR, "env: {MODE: fast, HF_TOKEN: {secret: hf-token, key: token}}"));

        assertThat(spec.env()).containsExactly(java.util.Map.entry("MODE", "fast"));
        assertThat(spec.secretEnv()).containsExactly(java.util.Map.entry("HF_TOKEN", new SecretRef("hf-token", "token")));
        Object written = SpecTree.toTree(spec).get("env");
        assertThat(written).isEqualTo(java.util.Map.of("MODE", "fast",
                "HF_TOKEN", java.util.Map.of("secret", "hf-token", "key", "token")));
        assertThat(Specs.PARSER.parse(SpecTree.toTree(spec), null)).isEqualTo(new SpecResult.Valid(spec));
    }

    @Test
    void rejectsASecretReferenceThatKubernetesCouldNotResolveWithTheFieldPath() {
        assertThat(errors(sweep("grid", LR, "env: {A: {secret: hf-token}, B: {key: k}, C: {secret: Bad_Name, key: k},"
                + " D: {secret: s, key: 'a/b'}, E: {secret: s, key: k, optional: true}, F: [x]}")))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("env.A.key", "env.B.secret", "env.C.secret", "env.D.key", "env.E.optional",
                        "env.F");
    }

    @Test
    void rejectsADocumentThatIsNotAnObject() {
        assertThat(errors("- just\n- a list\n")).extracting(FieldError::field).containsExactly("");
    }

    @Test
    void readsAWarmStartByIdOrByNameAndWritesItBack() {
        String bayes = "max_trials: 5\nmetric: {name: loss}";
        SweepSpec byId = valid(sweep("bayes", "  lr: {min: 0.0, max: 1.0}", bayes, "warm_start: 17"));
        assertThat(byId.warmStart()).isEqualTo(WarmStart.ofId(17));
        assertThat(SpecTree.toTree(byId)).containsEntry("warm_start", 17L);
        SweepSpec byName = valid(sweep("bayes", "  lr: {min: 0.0, max: 1.0}", bayes, "warm_start: mnist-v1"));
        assertThat(byName.warmStart()).isEqualTo(new WarmStart(null, "mnist-v1"));
        assertThat(SpecTree.toTree(byName)).containsEntry("warm_start", "mnist-v1");
    }

    @Test
    void rejectsAWarmStartThatIsNotASweepReferenceOrSeedsGridOrRandomSearch() {
        String bayes = "max_trials: 5\nmetric: {name: loss}";
        for (String bad : List.of("0", "-3", "1.5", "'Not A Name'", "[1]", "{id: 1}")) {
            assertThat(errors(sweep("bayes", "  lr: {min: 0.0, max: 1.0}", bayes, "warm_start: " + bad)))
                    .as(bad).extracting(FieldError::field).containsExactly("warm_start");
        }
        assertThat(errors(sweep("random", "  lr: {min: 0.0, max: 1.0}", "max_trials: 5", "warm_start: 3")))
                .extracting(FieldError::message).containsExactly("seeds bayes search only; random search does not "
                        + "learn from earlier trials");
    }

    @Test
    void readsTheNumberOfRandomStartupTrialsOfBayesSearch() {
        String bayes = "max_trials: 5\nmetric: {name: loss}";
        SweepSpec spec = valid(sweep("bayes", "  lr: {min: 0.0, max: 1.0}", bayes, "bayes: {startup_trials: 4}"));
        assertThat(spec.startupTrialsOrDefault()).isEqualTo(4);
        assertThat(valid(sweep("bayes", "  lr: {min: 0.0, max: 1.0}", bayes)).startupTrialsOrDefault()).isEqualTo(10);
        assertThat(SpecTree.toTree(spec)).containsEntry("bayes", java.util.Map.of("startup_trials", 4));
        assertThat(errors(sweep("bayes", "  lr: {min: 0.0, max: 1.0}", bayes, "bayes: {startup_trials: -1, x: 1}")))
                .extracting(FieldError::field).containsExactlyInAnyOrder("bayes.startup_trials", "bayes.x");
        assertThat(errors(sweep("random", "  lr: {min: 0.0, max: 1.0}", "max_trials: 5", "bayes: {startup_trials: 3}")))
                .extracting(FieldError::field).containsExactly("bayes");
    }
}
