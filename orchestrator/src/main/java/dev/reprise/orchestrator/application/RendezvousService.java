package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.domain.distributed.Rendezvous;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.error.ConflictException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.persistence.RendezvousStore;
import dev.reprise.orchestrator.persistence.RunEntity;
import dev.reprise.orchestrator.persistence.RunRepository;
import dev.reprise.orchestrator.persistence.SweepRepository;
import dev.reprise.orchestrator.scheduling.Executors;
import dev.reprise.orchestrator.scheduling.StoredSpecs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.regex.Pattern;

/**
 * The rendezvous of distributed attempts (ADR 0008): each rank's agent registers its address with its run token and
 * asks until every rank is up; then it learns its rank and rank 0's address. Nothing trains before that.
 */
@ApplicationScoped
public class RendezvousService {

    /** A pod name or a host name: what a member may call itself. */
    private static final Pattern MEMBER = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** An IPv4 or IPv6 address or a host name: what rank 0 may be reached at. */
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.:\\-]{1,253}");

    private final RunRepository runs;
    private final SweepRepository sweeps;
    private final StoredSpecs specs;
    private final RendezvousStore store;
    private final Executors executors;

    public RendezvousService(RunRepository runs, SweepRepository sweeps, StoredSpecs specs, RendezvousStore store,
            Executors executors) {
        this.runs = runs;
        this.sweeps = sweeps;
        this.specs = specs;
        this.store = store;
        this.executors = executors;
    }

    /** The port rank 0 of the attempt listens on, as the active executor chooses it (29500 in pods). */
    public int masterPort(long runId, int attempt) {
        return executors.active().map(e -> e.masterPort(runId, attempt)).orElse(Rendezvous.MASTER_PORT);
    }

    /** One registration (or a repeated ask) of {@code member} for the run's attempt. */
    @Transactional
    public Rendezvous.Answer register(long runId, int attempt, String member, String address, String node,
            Integer rank) {
        if (member == null || !MEMBER.matcher(member).matches()) {
            throw new BadInputException("member", "a pod or host name (lower-case letters, digits, '-', '.')");
        }
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new BadInputException("address", "an IP address or host name");
        }
        if (node != null && !ADDRESS.matcher(node).matches()) {
            throw new BadInputException("node", "a node name");
        }
        RunEntity run = runs.findByIdOptional(runId).orElseThrow(() -> new NotFoundException("run", runId));
        if (run.attempt != attempt || !(run.state == RunState.LAUNCHING || run.state == RunState.RUNNING)) {
            throw new ConflictException("run " + runId + " attempt " + attempt + " is not running (the run is "
                    + run.state + " at attempt " + run.attempt + "): its ranks must not start", "attempt");
        }
        int nodes = specs.of(sweeps.findById(run.sweepId)).resources().nodes();
        if (nodes < 2) {
            throw new ConflictException("run " + runId + " is not a distributed trial (resources.nodes is 1)",
                    "attempt");
        }
        if (rank != null && (rank < 0 || rank >= nodes)) {
            throw new BadInputException("rank", "between 0 and " + (nodes - 1));
        }
        store.register(runId, attempt, new Rendezvous.Member(member, address, node, rank));
        Rendezvous.Answer answer = Rendezvous.answer(nodes, store.members(runId, attempt), member);
        if (answer instanceof Rendezvous.Answer.Ready ready) {
            executors.active().ifPresent(e -> e.rankAssigned(runId, attempt, member, ready.rank()));
        }
        return answer;
    }
}
