package dev.reprise.orchestrator.domain.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An {@code env} variable whose value is a secret the sweep only names: {@code HF_TOKEN: {secret: hf-token, key:
 * token}}. On Kubernetes it becomes the container's {@code valueFrom.secretKeyRef} (a Secret in the trials'
 * namespace; the orchestrator never reads it); on the local executor the value comes from the project's secret store
 * ({@code reprise secret set}) when the trial starts. Neither the spec, the API nor the provenance ever holds the value.
 *
 * @param secret the Secret's name (a DNS subdomain, as Kubernetes requires)
 * @param key    the key inside the Secret
 */
public record SecretRef(String secret, String key) {

    /** Kubernetes' Secret name rule: a DNS subdomain of at most 253 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    public static final String NAME_HINT = "must be a Secret name: lower-case letters, digits, '-' and '.', starting and "
            + "ending with a letter or digit";
    /** Kubernetes' rule for the keys of a Secret's data. */
    public static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    public static final String KEY_HINT = "must be a Secret key: letters, digits, '-', '_' and '.'";
    public static final int MAX_LENGTH = 253;

    /** As written in a sweep document (and in the stored spec). */
    public Map<String, Object> toTree() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("secret", secret);
        t.put("key", key);
        return t;
    }
}
