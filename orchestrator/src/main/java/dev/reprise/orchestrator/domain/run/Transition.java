package dev.reprise.orchestrator.domain.run;

/**
 * The answer of a state machine to "may this move from {@code from} to {@code to}?": allowed, or refused with the
 * reason. Writers apply a transition only through {@link #target()}, so a refused one never reaches the database.
 *
 * @param <S> the states ({@link RunState} or {@link SweepStatus})
 */
public sealed interface Transition<S extends Enum<S>> permits Transition.Allowed, Transition.Refused {

    S from();

    S to();

    /** The state to write: {@link #to()} when allowed; a refused transition is a bug in the caller and throws. */
    S target();

    default boolean allowed() {
        return this instanceof Allowed;
    }

    record Allowed<S extends Enum<S>>(S from, S to) implements Transition<S> {
        @Override
        public S target() {
            return to;
        }
    }

    record Refused<S extends Enum<S>>(S from, S to, String reason) implements Transition<S> {
        @Override
        public S target() {
            throw new IllegalStateException(from + " -> " + to + " refused: " + reason);
        }
    }
}
