package dev.reprise.orchestrator.domain.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a normalised spec back as a plain tree in the same vocabulary it was read in, with every default
 * made explicit. The result is itself a valid sweep document: reading it again gives an equal spec.
 */
public final class SpecTree {

    private SpecTree() {
    }

    public static Map<String, Object> toTree(SweepSpec s) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", s.name());
        t.put("project", s.project());
        putIfNotNull(t, "description", s.description());
        t.put("image", s.image());
        putIfNotNull(t, "program", s.program());
        putIfNotNull(t, "command", s.command());
        if (!s.args().isEmpty()) {
            t.put("args", s.args());
        }
        if (!s.env().isEmpty() || !s.secretEnv().isEmpty()) {
            t.put("env", s.envTree());
        }
        Map<String, Object> resources = resources(s.resources());
        if (!resources.isEmpty()) {
            t.put("resources", resources);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        s.parameters().forEach((name, p) -> params.put(name, parameter(p)));
        t.put("parameters", params);
        t.put("method", s.method().wireName());
        if (s.metric() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.metric().name());
            m.put("goal", s.metric().goal().wireName());
            putIfNotNull(m, "target", s.metric().target());
            t.put("metric", m);
        }
        t.put("max_trials", s.maxTrials());
        t.put("parallelism", s.parallelism());
        putIfNotNull(t, "max_failed_trials", s.maxFailedTrials());
        t.put("seed", s.seed());
        t.put("queue", s.queue());
        t.put("priority", s.priority());
        if (s.data() != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("snapshot", s.data().snapshot());
            d.put("mount_path", s.data().mountPath());
            t.put("data", d);
        }
        if (s.earlyTerminate() instanceof EarlyTermination.Hyperband h) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", h.type());
            e.put("min_iter", h.minIter());
            e.put("max_iter", h.maxIter());
            e.put("eta", h.eta());
            t.put("early_terminate", e);
        } else if (s.earlyTerminate() instanceof EarlyTermination.Median m) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", m.type());
            e.put("min_iter", m.minIter());
            e.put("min_trials", m.minTrials());
            t.put("early_terminate", e);
        }
        if (s.startupTrials() != null) {
            t.put("bayes", Map.of("startup_trials", s.startupTrials()));
        }
        if (s.warmStart() != null) {
            t.put("warm_start", s.warmStart().wireValue());
        }
        if (s.budgetGpuHours() != null) {
            t.put("budget", Map.of("gpu_hours", s.budgetGpuHours()));
        }
        if (s.git() != null) {
            Map<String, Object> g = new LinkedHashMap<>();
            putIfNotNull(g, "repo", s.git().repo());
            putIfNotNull(g, "commit", s.git().commit());
            putIfNotNull(g, "branch", s.git().branch());
            putIfNotNull(g, "dirty", s.git().dirty());
            t.put("git", g);
        }
        return t;
    }

    private static Map<String, Object> resources(Resources r) {
        Map<String, Object> out = new LinkedHashMap<>();
        putIfNotNull(out, "cpu", r.cpu());
        putIfNotNull(out, "memory", r.memory());
        if (r.gpuCount() > 0 || r.gpuType() != null) {
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("count", r.gpuCount());
            putIfNotNull(gpu, "type", r.gpuType());
            out.put("gpu", gpu);
        }
        if (r.nodes() != 1) {
            out.put("nodes", r.nodes());
        }
        putIfNotNull(out, "timeLimit", r.timeLimitSeconds());
        return out;
    }

    static Map<String, Object> parameter(ParameterSpec p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("distribution", p.distribution());
        if (p instanceof ParameterSpec.Constant c) {
            out.put("value", c.value());
        } else if (p instanceof ParameterSpec.Categorical c) {
            out.put("values", c.values());
            putIfNotNull(out, "probabilities", c.probabilities());
        } else if (p instanceof ParameterSpec.IntUniform u) {
            range(out, u.min(), u.max(), u.q());
        } else if (p instanceof ParameterSpec.Uniform u) {
            range(out, u.min(), u.max(), null);
        } else if (p instanceof ParameterSpec.QUniform u) {
            range(out, u.min(), u.max(), u.q());
        } else if (p instanceof ParameterSpec.LogUniform u) {
            range(out, u.min(), u.max(), null);
        } else if (p instanceof ParameterSpec.LogUniformValues u) {
            range(out, u.min(), u.max(), null);
        } else if (p instanceof ParameterSpec.QLogUniformValues u) {
            range(out, u.min(), u.max(), u.q());
        } else if (p instanceof ParameterSpec.Normal n) {
            gaussian(out, n.mu(), n.sigma(), n.q());
        } else if (p instanceof ParameterSpec.LogNormal n) {
            gaussian(out, n.mu(), n.sigma(), n.q());
        }
        return out;
    }

    private static void range(Map<String, Object> out, Object min, Object max, Object q) {
        out.put("min", min);
        out.put("max", max);
        putIfNotNull(out, "q", q);
    }

    private static void gaussian(Map<String, Object> out, double mu, double sigma, Double q) {
        out.put("mu", mu);
        out.put("sigma", sigma);
        putIfNotNull(out, "q", q);
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
