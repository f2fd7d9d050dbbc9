package dev.reprise.orchestrator.domain.compare;

import dev.reprise.api.messages.MetricKeys;
import dev.reprise.orchestrator.domain.compare.Comparison.FieldDifference;
import dev.reprise.orchestrator.domain.compare.Comparison.MetricDifference;
import dev.reprise.orchestrator.domain.provenance.Provenance;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two runs: what they were made of (provenance, parameters), how they ended, and their metric curves
 * within a tolerance. Pure: the caller loads the records and curves.
 *
 * <p>System metrics ({@code sys/...}, from the agent's heartbeats: CPU, memory, GPU load) are not compared: they
 * measure the machine, not the training.
 */
public final class RunComparator {

    /** The prefix of the agent's system metrics, which never take part in a comparison. */

    private RunComparator() {
    }

    /** How a run ended: its state and exit code. */
    public record Outcome(String state, Integer exitCode) {
    }

    public static Comparison compare(Provenance a, Provenance b, Outcome outcomeA, Outcome outcomeB,
            Map<String, Curve> curvesA, Map<String, Curve> curvesB, Tolerance tolerance) {
        List<FieldDifference> provenance = provenance(a, b);
        List<FieldDifference> parameters = differences("parameters.", a.parameters(), b.parameters());
        List<FieldDifference> outcome = new ArrayList<>();
        addIfDifferent(outcome, "state", outcomeA.state(), outcomeB.state());
        addIfDifferent(outcome, "exitCode", outcomeA.exitCode(), outcomeB.exitCode());

        Set<String> keys = new TreeSet<>();
        curvesA.keySet().stream().filter(k -> !k.startsWith(MetricKeys.SYSTEM_PREFIX)).forEach(keys::add);
        curvesB.keySet().stream().filter(k -> !k.startsWith(MetricKeys.SYSTEM_PREFIX)).forEach(keys::add);
        List<MetricDifference> metrics = new ArrayList<>();
        for (String key : keys) {
            metrics.add(metric(key, curvesA.get(key), curvesB.get(key), tolerance));
        }

        List<String> names = new ArrayList<>();
        provenance.forEach(d -> names.add(d.field()));
        parameters.forEach(d -> names.add(d.field()));
        outcome.forEach(d -> names.add(d.field()));
        List<String> diverged = metrics.stream().filter(m -> !m.withinTolerance()).map(MetricDifference::key)
                .toList();
        diverged.forEach(k -> names.add("metrics." + k));

        boolean reproduced = outcome.isEmpty() && diverged.isEmpty();
        String summary = summary(reproduced, metrics, diverged, outcome, provenance, parameters, tolerance);
        return new Comparison(reproduced ? Comparison.Verdict.REPRODUCED : Comparison.Verdict.DIVERGED, tolerance,
                names, summary, provenance, parameters, outcome, metrics);
    }

    private static String summary(boolean reproduced, List<MetricDifference> metrics, List<String> diverged,
            List<FieldDifference> outcome, List<FieldDifference> provenance, List<FieldDifference> parameters,
            Tolerance t) {
        StringBuilder s = new StringBuilder();
        String within = " within rtol=" + t.rtol() + ", atol=" + t.atol();
        if (reproduced) {
            s.append(metrics.isEmpty() ? "both runs ended the same way; neither reported metrics to compare"
                    : "all " + metrics.size() + " metric(s) agree at every step" + within);
        } else {
            List<String> why = new ArrayList<>();
            outcome.forEach(d -> why.add(d.field() + " " + d.a() + " vs " + d.b()));
            if (!diverged.isEmpty()) {
                why.add(String.join(", ", diverged) + (diverged.size() == 1 ? " differs" : " differ") + " beyond"
                        + within.substring(" within".length()));
            }
            s.append("diverged: ").append(String.join("; ", why));
        }
        List<String> inputs = new ArrayList<>();
        provenance.forEach(d -> inputs.add(d.field()));
        parameters.forEach(d -> inputs.add(d.field()));
        if (!inputs.isEmpty()) {
            s.append(reproduced ? "; inputs that differ: " : "; inputs that differ (likely causes): ")
                    .append(String.join(", ", inputs));
        } else if (!reproduced) {
            s.append("; the recorded inputs are identical, so the training is not deterministic (see "
                    + "docs/reproducibility.md)");
        }
        return s.toString();
    }

    static MetricDifference metric(String key, Curve a, Curve b, Tolerance t) {
        if (a == null || b == null) {
            return new MetricDifference(key, a == null ? 0 : a.size(), b == null ? 0 : b.size(), 0, null, null, null,
                    a == null ? null : a.last(), b == null ? null : b.last(), null, false);
        }
        int i = 0;
        int j = 0;
        int common = 0;
        boolean within = a.size() == b.size();
        double maxAbs = 0;
        double maxRel = 0;
        Long maxStep = null;
        while (i < a.size() && j < b.size()) {
            long sa = a.steps()[i];
            long sb = b.steps()[j];
            if (sa < sb) {
                i++;
            } else if (sb < sa) {
                j++;
            } else {
                double va = a.values()[i];
                double vb = b.values()[j];
                common++;
                if (!t.close(va, vb)) {
                    within = false;
                }
                double abs = absDiff(va, vb);
                double scale = Math.max(Math.abs(va), Math.abs(vb));
                double rel = abs == 0 ? 0 : scale == 0 || Double.isInfinite(abs) ? Double.POSITIVE_INFINITY
                        : abs / scale;
                if (maxStep == null || abs > maxAbs) {
                    maxAbs = abs;
                    maxStep = sa;
                }
                maxRel = Math.max(maxRel, rel);
                i++;
                j++;
            }
        }
        if (common != a.size()) {
            within = false;
        }
        double delta = b.last() - a.last();
        return new MetricDifference(key, a.size(), b.size(), common, common == 0 ? null : maxAbs,
                common == 0 ? null : maxRel, maxStep, a.last(), b.last(), delta, within);
    }

    private static double absDiff(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b) || a == b) {
            return 0;
        }
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(a - b);
    }

    private static List<FieldDifference> provenance(Provenance a, Provenance b) {
        List<FieldDifference> out = new ArrayList<>();
        if (a.imageDigest() != null && b.imageDigest() != null) {
            // what ran is the digest: a re-run names the image by digest, its original by tag
            addIfDifferent(out, "image.digest", digest(a.imageDigest()), digest(b.imageDigest()));
        } else {
            addIfDifferent(out, "image.ref", a.imageRef(), b.imageRef());
        }
        if (Objects.equals(a.imageRef(), b.imageRef())) {
            // the config hash covers the image reference; with different references it differs for that reason
            addIfDifferent(out, "configHash", a.configHash(), b.configHash());
        }
        addIfDifferent(out, "image.executor", a.executor(), b.executor());
        addIfDifferent(out, "image.runtime", a.runtime(), b.runtime());
        addIfDifferent(out, "command", a.command(), b.command());
        out.addAll(differences("env.", a.env(), b.env()));
        addIfDifferent(out, "data.snapshotId", a.dataSnapshotId(), b.dataSnapshotId());
        addIfDifferent(out, "data.mountPath", a.dataMountPath(), b.dataMountPath());
        addIfDifferent(out, "git.repo", a.gitRepo(), b.gitRepo());
        addIfDifferent(out, "git.commit", a.gitCommit(), b.gitCommit());
        addIfDifferent(out, "git.dirty", a.gitDirty(), b.gitDirty());
        addIfDifferent(out, "seed", a.seed(), b.seed());
        addIfDifferent(out, "gpuModel", a.gpuModel(), b.gpuModel());
        return out;
    }

    /** The digest part of "repo@sha256:…", so a re-run pinned by digest matches the run it repeats. */
    private static String digest(String d) {
        return d.substring(d.lastIndexOf('@') + 1);
    }

    private static List<FieldDifference> differences(String prefix, Map<String, ?> a, Map<String, ?> b) {
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        List<FieldDifference> out = new ArrayList<>();
        for (String n : names) {
            addIfDifferent(out, prefix + n, a.get(n), b.get(n));
        }
        return out;
    }

    private static void addIfDifferent(List<FieldDifference> out, String field, Object a, Object b) {
        if (!sameValue(a, b)) {
            out.add(new FieldDifference(field, a, b));
        }
    }

    /** Numbers compare by value (JSON gives 1 and 1.0 different Java types). */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            try {
                return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
            } catch (NumberFormatException e) {
                return x.doubleValue() == y.doubleValue() || Double.isNaN(x.doubleValue()) && Double.isNaN(y.doubleValue());
            }
        }
        return Objects.equals(a, b);
    }
}
