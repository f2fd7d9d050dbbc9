package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.api.SpecFormat;
import dev.reprise.orchestrator.api.SweepDocumentReader;
import java.util.List;

/** Test helpers: parse YAML text into a spec or its errors. */
public final class Specs {

    public static final SweepDocumentReader READER = new SweepDocumentReader();
    public static final SweepSpecParser PARSER = new SweepSpecParser(SpecLimits.DEFAULTS, () -> 42L);

    private Specs() {
    }

    public static SpecResult parse(String yaml) {
        return PARSER.parse(READER.read(yaml, SpecFormat.YAML), null);
    }

    public static SweepSpec valid(String yaml) {
        SpecResult r = parse(yaml);
        if (r instanceof SpecResult.Invalid i) {
            throw new AssertionError("expected a valid spec, got " + i.errors());
        }
        return ((SpecResult.Valid) r).spec();
    }

    public static List<FieldError> errors(String yaml) {
        SpecResult r = parse(yaml);
        if (r instanceof SpecResult.Valid) {
            throw new AssertionError("expected errors, the spec was valid");
        }
        return ((SpecResult.Invalid) r).errors();
    }

    /** A valid sweep with the given parameters block (indented by two spaces) and extra top-level lines. */
    public static String sweep(String method, String parameters, String... extra) {
        return "name: test-sweep\n"
                + "image: python:3.12-slim\n"
                + "program: train.py\n"
                + "method: " + method + "\n"
                + "parameters:\n" + parameters.stripTrailing() + "\n"
                + String.join("\n", extra) + "\n";
    }
}
