package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.api.filters.AccessFilter;
import dev.reprise.orchestrator.domain.security.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The access rule of one REST endpoint, checked by {@link AccessFilter} before the method runs. Every resource method
 * must carry one: an endpoint without a rule is refused (and the service does not start, see
 * {@link AccessRulesCheck}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Access {

    /** What the endpoint acts on, which decides the project the role is checked in. */
    Scope on();

    /** The role the caller needs in that project. */
    Role role() default Role.VIEWER;

    /**
     * The role enough when the caller owns the target (submitted the sweep, created the token). The default, ADMIN,
     * means owning it changes nothing.
     */
    Role ownerRole() default Role.ADMIN;

    /**
     * The path parameters naming the sweeps, runs or tokens the call addresses (scopes SWEEP, RUN, TOKEN); the
     * caller needs the role in the project of each (comparing two runs needs both).
     */
    String[] ids() default {"id"};

    /**
     * Whether an agent's run token may call it, for its own run only: on RUN endpoints the run in the path (and the
     * attempt, when the path has {attempt}) must be the token's; on snapshot downloads the snapshot must be its run's.
     */
    boolean runToken() default false;

    /** Whether each caller's calls are counted against the submission rate limit. */
    boolean rateLimited() default false;

    /** Where the project comes from. */
    enum Scope {
        /** No authentication at all (logging in). */
        PUBLIC,
        /** Any authenticated person or automation, whatever its roles. */
        AUTHENTICATED,
        /**
         * The role in at least one project; the endpoint narrows further itself (listings show only visible
         * projects; a submission checks the project named in its document).
         */
        ANY_PROJECT,
        /** The role in every project (a global admin): cluster-wide objects such as snapshots being deleted. */
        ALL_PROJECTS,
        /** The project in the path parameter {project}. */
        PROJECT_PATH,
        /** The project of the sweep in the path parameter {id}. */
        SWEEP,
        /** The project of the run in the path parameter {id}. */
        RUN,
        /** The project of the API token in the path parameter {id}. */
        TOKEN,
        /**
         * Ids travel in the request body or query (the MLflow-compatible API): any authenticated caller, and a run
         * token when {@link #runToken()} allows it, gets through; the endpoint then checks the role (at least
         * {@link #role()}) in the project of each experiment or run the request names, and a run token against
         * its own run.
         */
        IN_ENDPOINT
    }
}
