package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.error.MalformedDocumentException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.orchestrator.domain.security.UnsafeCharacters;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a submitted sweep document (YAML or JSON) into a plain tree with hard limits on aliases, nesting, string
 * length and size, so that hostile input (alias bombs, deep nesting) fails fast in bounded memory.
 *
 * <p>YAML is read with SnakeYAML's safe constructor (Jackson's YAML reader does not resolve aliases: it returns the
 * anchor's name, a silent misread). Aliases are resolved, at most {@value #MAX_ALIASES} of them, and the loaded tree is
 * walked once with a node budget, so an alias graph that would expand exponentially (or a cycle) is refused.
 * Scalars follow YAML 1.1 as PyYAML does (W&B's own reader), plus YAML 1.2 floats such as {@code 1e-5}.
 */
@ApplicationScoped
public class SweepDocumentReader {

    public static final int MAX_ALIASES = 50;
    public static final int MAX_DEPTH = 32;
    public static final int MAX_STRING = 65_536;
    public static final int MAX_CODE_POINTS = 1_100_000;
    public static final int MAX_NODES = 200_000;

    private static final Pattern YAML12_FLOAT = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)[eE][-+]?[0-9]+$");

    private final LoaderOptions loader;
    private final ObjectMapper json;

    public SweepDocumentReader() {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING)
                .maxNumberLength(64)
                .maxNameLength(1024)
                .maxDocumentLength(MAX_CODE_POINTS)
                .build();
        this.loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(MAX_ALIASES);
        loader.setNestingDepthLimit(MAX_DEPTH);
        loader.setCodePointLimit(MAX_CODE_POINTS);
        loader.setAllowDuplicateKeys(false);
        loader.setAllowRecursiveKeys(false);
        JsonFactory jsonFactory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.json = new ObjectMapper(jsonFactory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.json.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    public Object read(String text, SpecFormat format) {
        if (text == null || text.isBlank()) {
            throw new MalformedDocumentException("the request body is empty; send a sweep document");
        }
        try {
            Object tree = format == SpecFormat.YAML ? yaml().load(text) : json.readValue(text, Object.class);
            if (tree == null) {
                throw new MalformedDocumentException("the document is empty");
            }
            checkSize(tree);
            checkText(tree, "");
            return tree;
        } catch (MalformedDocumentException | BadInputException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw new MalformedDocumentException("the document exceeds a limit: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new MalformedDocumentException("malformed " + format.wireName() + ": " + describe(e));
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " (line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1) + ")";
            throw new MalformedDocumentException("malformed yaml: " + firstLine(e.getProblem()) + where);
        } catch (RuntimeException e) {
            // SnakeYAML signals its own limits (aliases, depth, code points) with unchecked exceptions
            throw new MalformedDocumentException("malformed " + format.wireName() + ": " + firstLine(e.getMessage()));
        }
    }

    /** A SnakeYAML instance is not thread-safe; they are cheap to make. */
    private Yaml yaml() {
        Resolver resolver = new Resolver();
        resolver.addImplicitResolver(Tag.FLOAT, YAML12_FLOAT, "-+0123456789.");
        return new Yaml(new SafeConstructor(loader), new Representer(new DumperOptions()), new DumperOptions(),
                loader, resolver);
    }

    /**
     * Every key and string value of the document: no control characters but tab, CR and LF, no bidirectional
     * controls (YAML's "\0" escapes would otherwise reach PostgreSQL, which refuses NUL in text). Run after
     * {@link #checkSize}, so the walk is bounded.
     */
    private static void checkText(Object node, String path) {
        if (node instanceof String s) {
            UnsafeCharacters.problem(s, true).ifPresent(p -> {
                throw new BadInputException(path.isEmpty() ? "body" : path, "the value " + p);
            });
        } else if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                String child = (path.isEmpty() ? "" : path + ".") + dev.reprise.orchestrator.api.filters.UnsafeInputFilter.printable(key);
                UnsafeCharacters.problem(key, false).ifPresent(p -> {
                    throw new BadInputException(child, "a field name " + p);
                });
                checkText(e.getValue(), child);
            }
        } else if (node instanceof java.util.List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkText(list.get(i), path + "[" + i + "]");
            }
        }
    }

    /** Walks the tree with a node budget and a depth limit: shared (aliased) subtrees count each time they appear. */
    private static void checkSize(Object tree) {
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {tree, 0});
        long nodes = 0;
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            int depth = (int) top[1];
            if (++nodes > MAX_NODES) {
                throw new MalformedDocumentException("the document exceeds a limit: more than " + MAX_NODES
                        + " values (after resolving aliases)");
            }
            if (depth > MAX_DEPTH) {
                throw new MalformedDocumentException("the document exceeds a limit: nesting deeper than "
                        + MAX_DEPTH);
            }
            Collection<?> children = top[0] instanceof Map<?, ?> m ? m.values()
                    : top[0] instanceof Collection<?> c ? c : null;
            if (children != null) {
                for (Object child : children) {
                    stack.push(new Object[] {child, depth + 1});
                }
            }
        }
    }

    private static String describe(IOException e) {
        String message = e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage()
                : e.getMessage();
        String location = "";
        if (e instanceof com.fasterxml.jackson.core.JacksonException je && je.getLocation() != null
                && je.getLocation().getLineNr() > 0) {
            location = " (line " + je.getLocation().getLineNr() + ", column " + je.getLocation().getColumnNr()
                    + ")";
        }
        return firstLine(message) + location;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable document";
        }
        String line = message.lines().findFirst().orElse(message).strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
