package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.domain.spec.SpecLimits;
import dev.reprise.orchestrator.domain.spec.SpecResult;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import dev.reprise.orchestrator.domain.spec.SweepSpecParser;
import dev.reprise.orchestrator.persistence.SweepEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The specs of stored sweeps, read back from their normalised JSON: it is itself a valid sweep document with its
 * seed fixed, so reading it again gives exactly the submitted configuration. Cached per sweep and max_trials (the
 * only field that changes after submission, when a sweep is extended).
 */
@ApplicationScoped
public class StoredSpecs {

    private static final SweepSpecParser STORED = new SweepSpecParser(
            new SpecLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE), () -> {
                throw new IllegalStateException("a stored spec always has its seed");
            });

    private final Map<String, SweepSpec> cache = new ConcurrentHashMap<>();

    public SweepSpec of(SweepEntity sweep) {
        return cache.computeIfAbsent(sweep.id + "/" + sweep.specHash, k -> {
            SpecResult result = STORED.parse(CanonicalJson.read(sweep.spec, Object.class), null);
            if (result instanceof SpecResult.Valid valid) {
                return valid.spec();
            }
            throw new IllegalStateException("stored spec of sweep " + sweep.id + " no longer reads: "
                    + ((SpecResult.Invalid) result).errors());
        });
    }
}
