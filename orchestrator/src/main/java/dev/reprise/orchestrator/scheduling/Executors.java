package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.execution.Executor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The executor chosen by {@code reprise.executor} ({@code kubernetes}, {@code local}, or {@code none} to only
 * accept and store sweeps). Implementations are beans guarded by {@code @LookupIfProperty(name = "reprise.executor")}.
 */
@ApplicationScoped
public class Executors {

    private final Instance<Executor> executors;
    private final String name;

    public Executors(Instance<Executor> executors, @ConfigProperty(name = "reprise.executor", defaultValue = "none")
            String name) {
        this.executors = executors;
        this.name = name;
    }

    public Optional<Executor> active() {
        if ("none".equals(name) || !executors.isResolvable()) {
            return Optional.empty();
        }
        return Optional.of(executors.get());
    }

    public String name() {
        return name;
    }

    /** How runs created now will be executed, for their provenance. */
    public dev.reprise.orchestrator.domain.provenance.RunOrigin origin() {
        return new dev.reprise.orchestrator.domain.provenance.RunOrigin(name,
                active().map(Executor::runtime).orElse(null), null, null);
    }
}
