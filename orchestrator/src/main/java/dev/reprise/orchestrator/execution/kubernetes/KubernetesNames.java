package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.execution.TrialLaunch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kubernetes naming rules, pure: deterministic names for trial objects and validators that return an error message
 * instead of throwing, so submission validation can collect every problem at once. The rules are the API server's
 * ({@code k8s.io/apimachinery/pkg/util/validation}); nothing here talks to a cluster.
 */
public final class KubernetesNames {

    /** DNS-1123 label: Job names (their pods carry the name in a label, so 63 is the real limit). */
    public static final int MAX_NAME_LENGTH = 63;
    public static final int MAX_LABEL_VALUE_LENGTH = 63;
    public static final int MAX_SUBDOMAIN_LENGTH = 253;

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern QUANTITY =
            Pattern.compile("[0-9]+(\\.[0-9]+)?|\\.[0-9]+|([0-9]+(\\.[0-9]+)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?[0-9]+)");
    private static final Pattern IMAGE_REFERENCE = Pattern.compile("[a-z0-9][a-z0-9._:/@+-]*[A-Za-z0-9_]", Pattern.CASE_INSENSITIVE);
    private static final Pattern INSTALLATION = Pattern.compile("[a-z0-9]{1,12}");
    private static final Set<String> TOLERATION_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private KubernetesNames() {
    }

    // ---- names built from a launch ---------------------------------------------------------------------------

    /**
     * The Job (and ConfigMap) name of one attempt: {@code <sweep-slug>-<sweepId>-<runIndex>-<attempt>-<installation>},
     * a DNS-1123 label of at most 63 characters. The sweep id makes it unique across projects and across a deleted and
     * re-submitted sweep of the same name (a sweep name is only unique within its project); the installation's
     * identity makes it unique across installations sharing a namespace and across databases (ids start again at 1
     * in a new database, and a leftover Job of the same name would otherwise be mistaken for this attempt). When the
     * slug is too long it is cut and followed by five hex digits of the full name's SHA-256, so the result stays
     * readable and deterministic.
     */
    public static String jobName(TrialLaunch launch, String installation) {
        return jobName(launch.sweepName(), launch.sweepId(), launch.index(), launch.attempt(), installation);
    }

    public static String jobName(String sweepName, long sweepId, int runIndex, int attempt, String installation) {
        installationError(installation).ifPresent(e -> {
            throw new IllegalArgumentException("installation '" + installation + "' " + e);
        });
        String suffix = "-" + sweepId + "-" + runIndex + "-" + attempt + "-" + installation;
        String slug = slug(sweepName);
        if (slug.length() + suffix.length() <= MAX_NAME_LENGTH) {
            return slug + suffix;
        }
        String hash = sha256Hex(sweepName).substring(0, 5);
        int room = MAX_NAME_LENGTH - suffix.length() - hash.length() - 1;
        String cut = trimDashes(slug.substring(0, Math.max(1, room)));
        if (cut.isEmpty()) {
            cut = "s";
        }
        return cut + "-" + hash + suffix;
    }

    /** An installation identity: 1 to 12 lower-case letters or digits (stored ones are eight hex digits). */
    public static Optional<String> installationError(String installation) {
        if (installation == null || !INSTALLATION.matcher(installation).matches()) {
            return Optional.of("must be 1 to 12 lower-case letters or digits");
        }
        return Optional.empty();
    }

    /** Lower case, every run of characters outside {@code [a-z0-9]} replaced by one dash, no dash at the ends. */
    public static String slug(String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(lower.length());
        boolean dash = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
                dash = false;
            } else if (!dash && b.length() > 0) {
                b.append('-');
                dash = true;
            }
        }
        String s = trimDashes(b.toString());
        return s.isEmpty() ? "sweep" : s;
    }

    /**
     * A label value carrying {@code value}: the value itself when it is already valid (so
     * {@code kubectl get jobs -l reprise.dev/sweep=NAME} works with the sweep's own name), otherwise a sanitised,
     * possibly shortened form with a hash suffix. The original is kept in an annotation.
     */
    public static String labelValue(String value) {
        if (value == null) {
            return "";
        }
        if (labelValueError(value).isEmpty()) {
            return value;
        }
        String cleaned = value.replaceAll("[^-A-Za-z0-9_.]+", "-");
        cleaned = cleaned.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
        String hash = sha256Hex(value).substring(0, 5);
        int room = MAX_LABEL_VALUE_LENGTH - hash.length() - 1;
        if (cleaned.length() > room) {
            cleaned = cleaned.substring(0, room).replaceAll("[^A-Za-z0-9]+$", "");
        }
        return cleaned.isEmpty() ? hash : cleaned + "-" + hash;
    }

    // ---- validators: empty = valid ---------------------------------------------------------------------------

    /** A DNS-1123 label (Job names, namespaces): lower-case alphanumerics and '-', at most 63 characters. */
    public static Optional<String> dns1123LabelError(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (value.length() > MAX_NAME_LENGTH) {
            return Optional.of("must be at most " + MAX_NAME_LENGTH + " characters (is " + value.length() + ")");
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            return Optional.of("must consist of lower-case letters, digits and '-', and start and end with a letter or"
                    + " digit (e.g. 'my-name')");
        }
        return Optional.empty();
    }

    /** A DNS-1123 subdomain (priority class, service account, local queue names). */
    public static Optional<String> dns1123SubdomainError(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (value.length() > MAX_SUBDOMAIN_LENGTH) {
            return Optional.of("must be at most " + MAX_SUBDOMAIN_LENGTH + " characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            return Optional.of("must consist of lower-case letters, digits, '-' and '.', and start and end with a"
                    + " letter or digit (e.g. 'example.com')");
        }
        return Optional.empty();
    }

    /** A label value: at most 63 characters, alphanumerics, '-', '_' and '.', alphanumeric at both ends; may be empty. */
    public static Optional<String> labelValueError(String value) {
        if (value == null) {
            return Optional.of("must not be null");
        }
        if (value.length() > MAX_LABEL_VALUE_LENGTH) {
            return Optional.of("must be at most " + MAX_LABEL_VALUE_LENGTH + " characters (is " + value.length() + ")");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            return Optional.of("must consist of letters, digits, '-', '_' or '.', and start and end with a letter or"
                    + " digit (e.g. 'MyValue', 'my_value', '12345')");
        }
        return Optional.empty();
    }

    /** A label or annotation key: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters. */
    public static Optional<String> labelKeyError(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("must not be empty");
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            Optional<String> p = dns1123SubdomainError(prefix);
            if (p.isPresent()) {
                return Optional.of("prefix '" + prefix + "' " + p.get());
            }
        }
        if (name.isEmpty()) {
            return Optional.of("name part must not be empty");
        }
        if (name.length() > 63) {
            return Optional.of("name part must be at most 63 characters");
        }
        if (!QUALIFIED_NAME_PART.matcher(name).matches()) {
            return Optional.of("name part must consist of letters, digits, '-', '_' or '.', and start and end with a"
                    + " letter or digit (e.g. 'MyName', 'example.com/my-name')");
        }
        return Optional.empty();
    }

    /** A resource quantity in Kubernetes notation ("500m", "2", "8Gi", "1e3"); negative values are refused. */
    public static Optional<String> quantityError(String value) {
        if (value == null || !QUANTITY.matcher(value).matches()) {
            return Optional.of("must be a Kubernetes quantity such as '500m', '2', '512Mi' or '8Gi'");
        }
        return Optional.empty();
    }

    /** A container image reference, loosely: no spaces, no upper-case repository, not empty. */
    public static Optional<String> imageReferenceError(String image) {
        if (image == null || image.isBlank()) {
            return Optional.of("must not be empty");
        }
        if (!IMAGE_REFERENCE.matcher(image).matches()) {
            return Optional.of("is not a valid image reference (e.g. 'registry.example.com/team/train:1.2')");
        }
        int at = image.indexOf('@');
        String repository = at >= 0 ? image.substring(0, at) : image;
        int lastSlash = repository.lastIndexOf('/');
        int colon = repository.indexOf(':', lastSlash + 1);
        String path = colon >= 0 ? repository.substring(0, colon) : repository;
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            return Optional.of("repository name must be lower case");
        }
        return Optional.empty();
    }

    /** Every invalid entry of a node selector, as "key: message". */
    public static List<String> nodeSelectorErrors(Map<String, String> nodeSelector) {
        List<String> errors = new ArrayList<>();
        nodeSelector.forEach((k, v) -> {
            labelKeyError(k).ifPresent(e -> errors.add("key '" + k + "': " + e));
            labelValueError(v).ifPresent(e -> errors.add("value of '" + k + "': " + e));
        });
        errors.sort(null);
        return errors;
    }

    /** What is wrong with a toleration, if anything. Operator null means Equal, effect null means every effect. */
    public static Optional<String> tolerationError(TrialLaunch.Toleration t) {
        String op = t.operator() == null || t.operator().isEmpty() ? "Equal" : t.operator();
        if (!op.equals("Equal") && !op.equals("Exists")) {
            return Optional.of("operator must be Equal or Exists, not '" + op + "'");
        }
        boolean noKey = t.key() == null || t.key().isEmpty();
        if (noKey && op.equals("Equal")) {
            return Optional.of("key may only be empty with operator Exists");
        }
        if (!noKey) {
            Optional<String> k = labelKeyError(t.key());
            if (k.isPresent()) {
                return Optional.of("key '" + t.key() + "': " + k.get());
            }
        }
        if (op.equals("Exists") && t.value() != null && !t.value().isEmpty()) {
            return Optional.of("value must be empty with operator Exists");
        }
        if (op.equals("Equal") && t.value() != null) {
            Optional<String> v = labelValueError(t.value());
            if (v.isPresent()) {
                return Optional.of("value '" + t.value() + "': " + v.get());
            }
        }
        if (t.effect() != null && !t.effect().isEmpty() && !TOLERATION_EFFECTS.contains(t.effect())) {
            return Optional.of("effect must be NoSchedule, PreferNoSchedule or NoExecute, not '" + t.effect() + "'");
        }
        return Optional.empty();
    }

    /**
     * Every problem with where and how a trial would be placed, as field paths with messages; empty when the
     * placement can become a valid pod spec.
     */
    public static List<String> placementErrors(TrialLaunch.Placement placement) {
        List<String> errors = new ArrayList<>();
        nodeSelectorErrors(placement.nodeSelector()).forEach(e -> errors.add("nodeSelector: " + e));
        for (int i = 0; i < placement.tolerations().size(); i++) {
            int index = i;
            tolerationError(placement.tolerations().get(i)).ifPresent(e -> errors.add("tolerations[" + index + "]: " + e));
        }
        if (placement.priorityClassName() != null) {
            dns1123SubdomainError(placement.priorityClassName()).ifPresent(e -> errors.add("priorityClassName: " + e));
        }
        if (placement.serviceAccountName() != null) {
            dns1123SubdomainError(placement.serviceAccountName()).ifPresent(e -> errors.add("serviceAccountName: " + e));
        }
        if (placement.kueueQueueName() != null) {
            dns1123SubdomainError(placement.kueueQueueName()).ifPresent(e -> errors.add("kueueQueueName: " + e));
            if (placement.kueueQueueName().length() > MAX_LABEL_VALUE_LENGTH) {
                errors.add("kueueQueueName: must be at most 63 characters (it becomes a label value)");
            }
        }
        return errors;
    }

    /** Every problem with a trial's resources (quantities, GPU count). */
    public static List<String> resourceErrors(TrialLaunch.TrialResources resources) {
        List<String> errors = new ArrayList<>();
        if (resources.cpu() != null) {
            quantityError(resources.cpu()).ifPresent(e -> errors.add("cpu: " + e));
        }
        if (resources.memory() != null) {
            quantityError(resources.memory()).ifPresent(e -> errors.add("memory: " + e));
        }
        if (resources.gpuCount() < 0) {
            errors.add("gpu: must not be negative");
        }
        if (resources.gpuType() != null) {
            labelValueError(resources.gpuType()).ifPresent(e -> errors.add("gpuType: " + e));
        }
        return errors;
    }

    static String sha256Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(String.valueOf(s).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}
