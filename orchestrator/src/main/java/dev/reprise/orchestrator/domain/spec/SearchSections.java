package dev.reprise.orchestrator.domain.spec;

import java.util.Map;

/**
 * How a sweep searches: the method, the objective metric, the trial count, early termination, warm start, the bayes
 * block and the GPU-hour budget. Part of {@link SweepSpecParser}; pure.
 */
final class SearchSections {

    private SearchSections() {
    }

    static Method method(Fields f, Errors errors) {
        Object raw = f.raw("method");
        if (raw == null) {
            errors.add("method", "is required (" + Method.wireNames() + ")");
            return null;
        }
        if (raw instanceof String s && Method.fromWireName(s).isPresent()) {
            return Method.fromWireName(s).get();
        }
        errors.add("method", "must be " + Method.wireNames());
        return null;
    }

    static MetricSpec metric(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("metric");
        if (raw == null) {
            return null;
        }
        Fields m = new Fields(raw, "metric", errors);
        String name = m.string("name", 256, SweepSpecParser.NO_CONTROL, "must not contain control characters");
        if (name == null && !m.has("name")) {
            errors.add("metric.name", "is required");
        }
        Goal goal = Goal.MINIMIZE;
        Object g = m.raw("goal");
        if ("maximize".equals(g)) {
            goal = Goal.MAXIMIZE;
        } else if (g != null && !"minimize".equals(g)) {
            errors.add("metric.goal", "must be minimize or maximize");
        }
        Double target = m.number("target");
        m.rejectUnknown();
        return new MetricSpec(name, goal, target);
    }

    static Integer maxTrials(Fields f, Errors errors) {
        boolean both = f.has("max_trials") && f.has("run_cap");
        Long maxTrials = f.integer("max_trials", 1, Integer.MAX_VALUE);
        Long runCap = f.integer("run_cap", 1, Integer.MAX_VALUE);
        if (both) {
            errors.add("run_cap", "give max_trials or its W&B alias run_cap, not both");
        }
        Long value = maxTrials != null ? maxTrials : runCap;
        return value == null ? null : value.intValue();
    }

    /** {@code budget: {gpu_hours: H}}: H a number greater than 0 (GPU-hours the whole sweep may use). */
    static Double budget(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("budget");
        if (raw == null) {
            return null;
        }
        Fields b = new Fields(raw, "budget", errors);
        Double hours = null;
        if (!b.has("gpu_hours")) {
            errors.add("budget.gpu_hours", "is required");
        } else {
            hours = b.number("gpu_hours");
            if (hours != null && !(hours > 0)) {
                errors.add("budget.gpu_hours", "must be greater than 0");
                hours = null;
            }
        }
        b.rejectUnknown();
        return hours;
    }

    static EarlyTermination earlyTerminate(Fields f, Errors errors, MetricSpec metric) {
        Map<?, ?> raw = f.object("early_terminate");
        if (raw == null) {
            return null;
        }
        Fields e = new Fields(raw, "early_terminate", errors);
        Object type = e.raw("type");
        int before = errors.size();
        EarlyTermination result = null;
        if ("hyperband".equals(type)) {
            Long minIter = e.integer("min_iter", 1, Integer.MAX_VALUE);
            Long maxIter = e.integer("max_iter", 1, Integer.MAX_VALUE);
            Long s = e.integer("s", 1, 20);
            Double eta = e.has("eta") ? e.number("eta") : Double.valueOf(3);
            e.raw("eta");
            Boolean strict = e.bool("strict");
            if (Boolean.TRUE.equals(strict)) {
                errors.add("early_terminate.strict", "strict hyperband is not supported yet");
            }
            if (eta != null && eta <= 1) {
                errors.add("early_terminate.eta", "must be greater than 1");
            }
            if (errors.size() == before) {
                if (minIter == null && maxIter != null && s != null) {
                    minIter = Math.max(1, (long) Math.floor(maxIter / Math.pow(eta, s)));
                }
                if (minIter == null) {
                    errors.add("early_terminate.min_iter", "give min_iter, or max_iter and s");
                } else {
                    long max = maxIter != null ? maxIter : (long) Math.min(Integer.MAX_VALUE,
                            minIter * Math.pow(eta, s != null ? s : 5));
                    if (max < minIter) {
                        errors.add("early_terminate.max_iter", "must not be less than min_iter (" + minIter + ")");
                    } else {
                        result = new EarlyTermination.Hyperband(minIter, max, eta);
                    }
                }
            }
        } else if ("median".equals(type)) {
            Long minIter = e.integer("min_iter", 0, Integer.MAX_VALUE);
            Long minTrials = e.integer("min_trials", 1, 10_000);
            if (errors.size() == before) {
                result = new EarlyTermination.Median(minIter == null ? 0 : minIter,
                        minTrials == null ? 3 : minTrials.intValue());
            }
        } else {
            errors.add("early_terminate.type", "must be hyperband or median");
        }
        e.rejectUnknown();
        if (metric == null && !f.has("metric")) {
            errors.add("early_terminate", "needs a metric: it stops trials whose metric falls behind");
        }
        return errors.size() == before ? result : null;
    }

    static WarmStart warmStart(Fields f, Errors errors, Method method) {
        Object raw = f.raw("warm_start");
        if (raw == null) {
            return null;
        }
        WarmStart ref = null;
        if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 1
                && n.doubleValue() <= Long.MAX_VALUE) {
            ref = WarmStart.ofId(n.longValue());
        } else if (raw instanceof String s && s.length() <= 40 && SweepSpecParser.DNS_LABEL.matcher(s).matches()) {
            ref = new WarmStart(null, s);
        } else {
            errors.add("warm_start", "must be the id of an earlier sweep or the name of one in the same project");
            return null;
        }
        if (method != null && !method.adaptive()) {
            errors.add("warm_start", "seeds bayes search only; " + method.wireName() + " search does not learn "
                    + "from earlier trials");
            return null;
        }
        return ref;
    }

    /** The {@code bayes} block: TPE settings; only {@code startup_trials} for now. */
    static Integer bayes(Fields f, Errors errors, Method method) {
        Map<?, ?> raw = f.object("bayes");
        if (raw == null) {
            return null;
        }
        Fields b = new Fields(raw, "bayes", errors);
        Long startup = b.integer("startup_trials", 0, 10_000);
        b.rejectUnknown();
        if (method != null && method != Method.BAYES) {
            errors.add("bayes", "applies to bayes search only, not " + method.wireName());
            return null;
        }
        return startup == null ? null : startup.intValue();
    }
}
