package dev.reprise.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JDK {@link HttpServer} on 127.0.0.1 with a random port that answers scripted requests with canned bodies and
 * records every request it gets. Requests without a script get a 404 problem.
 */
public final class ScriptedServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, HttpHandler> scripts = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    private ScriptedServer(HttpServer server) {
        this.server = server;
    }

    public static ScriptedServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ScriptedServer scripted = new ScriptedServer(server);
            server.createContext("/", scripted::handle);
            server.start();
            return scripted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code method path} (path without the query) with this status, content type and body. */
    public ScriptedServer reply(String method, String path, int status, String contentType, String body) {
        return handle(method, path, exchange -> respond(exchange, status, contentType, body));
    }

    public ScriptedServer replyJson(String method, String path, int status, String body) {
        return reply(method, path, status, "application/json", body);
    }

    public ScriptedServer replyProblem(String method, String path, int status, String body) {
        return reply(method, path, status, "application/problem+json", body);
    }

    /** Answers {@code method path} with a handler of its own, e.g. one that never answers. */
    public ScriptedServer handle(String method, String path, HttpHandler handler) {
        scripts.put(method + " " + path, handler);
        return this;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The request, when exactly one came in. */
    public RecordedRequest onlyRequest() {
        if (requests.size() != 1) {
            throw new AssertionError("expected exactly one request but got " + requests);
        }
        return requests.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            URI uri = exchange.getRequestURI();
            requests.add(new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders(), in.readAllBytes()));
            HttpHandler script = scripts.get(exchange.getRequestMethod() + " " + uri.getRawPath());
            if (script == null) {
                respond(exchange, 404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"no script for " + exchange.getRequestMethod() + " " + uri.getRawPath() + "\"}");
            } else {
                script.handle(exchange);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
