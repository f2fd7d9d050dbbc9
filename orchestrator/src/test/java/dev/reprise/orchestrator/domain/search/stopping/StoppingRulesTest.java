package dev.reprise.orchestrator.domain.search.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.spec.Goal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoppingRulesTest {

    /** A curve with value {@code f(step)} at steps 1..last. */
    private static Curve curve(int trial, long last, boolean completed, java.util.function.LongToDoubleFunction f) {
        Map<Long, Double> points = new LinkedHashMap<>();
        for (long s = 1; s <= last; s++) {
            points.put(s, f.applyAsDouble(s));
        }
        return Curve.of(trial, completed, points);
    }

    private final AshaRule asha = new AshaRule(1, 27, 3, Goal.MINIMIZE);

    @Test
    void placesRungsAtMinResourceTimesPowersOfEta() {
        assertThat(asha.rungs()).containsExactly(1L, 3L, 9L, 27L);
        assertThat(new AshaRule(2, 100, 4, Goal.MAXIMIZE).rungs()).containsExactly(2L, 8L, 32L);
    }

    @Test
    void letsTheFirstTrialAtARungContinue() {
        assertThat(asha.decide(curve(0, 3, false, s -> 10.0 / s), List.of()).stop()).isFalse();
    }

    @Test
    void stopsATrialOutsideTheBestThirdAtItsRungAndKeepsOneInside() {
        List<Curve> others = List.of(
                curve(1, 9, false, s -> 1.0 / s),
                curve(2, 9, false, s -> 2.0 / s),
                curve(3, 9, false, s -> 3.0 / s),
                curve(4, 9, false, s -> 4.0 / s));
        // at rung 3 the others have 0.33, 0.67, 1.0, 1.33; the best third's cut-off (1/3 quantile) is 0.78
        Curve bad = curve(5, 3, false, s -> 5.0 / s);
        Curve good = curve(6, 3, false, s -> 0.5 / s);
        StoppingRule.Decision decision = asha.decide(bad, others);
        assertThat(decision.stop()).isTrue();
        assertThat(decision.reason()).contains("rung 3");
        // the figures behind it: 5/3 at rung 3 against the cut-off 2/3 (the 1/3 quantile of the four), worst of five
        assertThat(decision.explanation()).isEqualTo(new StoppingRule.Explanation("hyperband", 3, 5.0 / 3,
                AshaRule.quantile(new double[] {1.0 / 3, 2.0 / 3, 1.0, 4.0 / 3}, 1.0 / 3), 5, 5, Goal.MINIMIZE));
        assertThat(decision.explanation().cutoff()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(asha.decide(good, others).stop()).isFalse();
        assertThat(asha.decide(good, others).explanation()).isNull();
    }

    @Test
    void decidesAtTheHighestRungReachedAndNeverAtTheLastRung() {
        List<Curve> others = List.of(curve(1, 27, true, s -> 1.0), curve(2, 27, true, s -> 1.0));
        // between rungs 9 and 27 the decision is the one of rung 9
        assertThat(asha.decide(curve(3, 12, false, s -> s < 9 ? 0.5 : 2.0), others).reason()).contains("rung 9");
        assertThat(asha.decide(curve(4, 27, false, s -> 5.0), others).stop()).isFalse();
    }

    @Test
    void neverStopsATrialThatHasTrainedToTheMaximumResourceEvenIfItWasBehindAtAnEarlierRung() {
        AshaRule rule = new AshaRule(2, 12, 3, Goal.MINIMIZE);
        List<Curve> others = List.of(curve(1, 12, true, s -> 0.1), curve(2, 12, true, s -> 0.2));
        // behind at rung 6: stopped while it trains, left alone once it has reached step 12 (a stopper that looks late)
        assertThat(rule.decide(curve(3, 11, false, s -> 1.0), others).reason()).contains("rung 6");
        assertThat(rule.decide(curve(3, 12, false, s -> 1.0), others).stop()).isFalse();
    }

    @Test
    void comparesInTheGoalsDirection() {
        AshaRule maximize = new AshaRule(1, 27, 3, Goal.MAXIMIZE);
        List<Curve> others = List.of(curve(1, 3, false, s -> 0.9), curve(2, 3, false, s -> 0.8),
                curve(3, 3, false, s -> 0.7));
        assertThat(maximize.decide(curve(4, 3, false, s -> 0.95), others).stop()).isFalse();
        assertThat(maximize.decide(curve(5, 3, false, s -> 0.5), others).stop()).isTrue();
    }

    private final MedianRule median = new MedianRule(5, 3, Goal.MINIMIZE);

    @Test
    void waitsForTheGracePeriodAndEnoughCompletedTrials() {
        List<Curve> completed = List.of(curve(1, 20, true, s -> 1.0), curve(2, 20, true, s -> 1.0),
                curve(3, 20, true, s -> 1.0));
        assertThat(median.decide(curve(9, 4, false, s -> 100.0), completed).stop()).isFalse();
        assertThat(median.decide(curve(9, 6, false, s -> 100.0), completed.subList(0, 2)).stop()).isFalse();
        assertThat(median.decide(curve(9, 6, false, s -> 100.0), completed).stop()).isTrue();
    }

    @Test
    void stopsOnlyTrialsWhoseBestIsWorseThanTheMedianOfRunningAverages() {
        List<Curve> completed = List.of(curve(1, 20, true, s -> 3.0), curve(2, 20, true, s -> 2.0),
                curve(3, 20, true, s -> 1.0), curve(4, 4, false, s -> 0.0));
        // running averages at step 6 of the completed trials: 3, 2, 1 -> median 2; trial 4 is not completed
        assertThat(median.decide(curve(9, 6, false, s -> s == 2 ? 1.5 : 9.0), completed).stop()).isFalse();
        StoppingRule.Decision stop = median.decide(curve(10, 6, false, s -> 2.5), completed);
        assertThat(stop.stop()).isTrue();
        assertThat(stop.reason()).contains("median 2");
        // 2.5 against the median 2 of the averages 3, 2, 1: third of four
        assertThat(stop.explanation()).isEqualTo(new StoppingRule.Explanation("median", 6, 2.5, 2.0, 3, 4,
                Goal.MINIMIZE));
    }
}
