package dev.reprise.api.messages;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which logged parameters ({@link RunEvent.ParamsLogged}) are acceptable: MLflow's own rules for param names and
 * values (mlflow/utils/validation.py, MLflow 2.17), so a parameter the agent reports is one the MLflow API would
 * have taken. The agent applies them before sending, the orchestrator's ingest again before storing.
 */
public final class ParamRules {

    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_VALUE_LENGTH = 6000;

    public static final String EMPTY_NAME = "param name is empty";
    public static final String NAME_TOO_LONG = "param name longer than " + MAX_KEY_LENGTH + " characters";
    public static final String NAME_CHARACTERS = "param name has characters MLflow does not allow (alphanumerics, "
            + "_ - . space : / only, no '..', no leading '/')";
    public static final String VALUE_MISSING = "param value is not a string, number or boolean";
    public static final String VALUE_TOO_LONG = "param value longer than " + MAX_VALUE_LENGTH + " characters";

    private static final Pattern NAME = Pattern.compile("[\\w\\-. /:]+");

    private ParamRules() {
    }

    /** Why the parameter is refused, or empty when it is accepted. {@code value} null means it had no usable value. */
    public static Optional<String> rejection(String key, String value) {
        if (key == null || key.isEmpty()) {
            return Optional.of(EMPTY_NAME);
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return Optional.of(NAME_TOO_LONG);
        }
        if (!NAME.matcher(key).matches() || key.contains("..") || key.startsWith("/")) {
            return Optional.of(NAME_CHARACTERS);
        }
        if (value == null) {
            return Optional.of(VALUE_MISSING);
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            return Optional.of(VALUE_TOO_LONG);
        }
        return Optional.empty();
    }
}
