package dev.reprise.orchestrator.domain.spec;

/**
 * The {@code warm_start} reference: an earlier sweep, by id or by name within the new sweep's project, whose
 * finished trials seed the bayes search. Exactly one of the two is set. The server resolves a name at submission and
 * stores the id, so a stored spec always names its warm-start sweep by id.
 */
public record WarmStart(Long sweepId, String sweepName) {

    public WarmStart {
        if ((sweepId == null) == (sweepName == null)) {
            throw new IllegalArgumentException("a warm start names a sweep by id or by name");
        }
    }

    public static WarmStart ofId(long id) {
        return new WarmStart(id, null);
    }

    /** The reference as written in the document: the id, or the name. */
    public Object wireValue() {
        return sweepId != null ? (Object) sweepId : sweepName;
    }

    @Override
    public String toString() {
        return sweepId != null ? "sweep " + sweepId : "sweep '" + sweepName + "'";
    }
}
