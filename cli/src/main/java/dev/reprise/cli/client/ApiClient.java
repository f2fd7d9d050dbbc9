package dev.reprise.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;

/**
 * The Reprise REST API over {@link HttpClient}: builds requests (bearer token, JSON accept header), turns 2xx bodies
 * into JSON trees, error answers into {@link ServerProblemException} and transport failures into
 * {@link ServerUnreachableException}. It knows paths and status codes, never how anything is printed.
 */
public final class ApiClient {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI server;
    private final Optional<String> token;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final String userAgent;

    public ApiClient(URI server, Optional<String> token, HttpClient http, Duration requestTimeout, String userAgent) {
        this.server = server;
        this.token = token;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
    }

    /** A client with the standard timeouts: 10 s to connect, 60 s for each request. */
    public static ApiClient create(URI server, Optional<String> token, String userAgent) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new ApiClient(server, token, http, REQUEST_TIMEOUT, userAgent);
    }

    public URI server() {
        return server;
    }

    public JsonNode get(String path, Query query) {
        return send(request(path, query).GET().build());
    }

    /** POSTs the payload, or an empty body when there is none. */
    public JsonNode post(String path, Query query, Optional<Payload> payload) {
        HttpRequest.Builder builder = request(path, query);
        payload.ifPresentOrElse(
                body -> builder.header("Content-Type", body.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())),
                () -> builder.POST(HttpRequest.BodyPublishers.noBody()));
        return send(builder.build());
    }

    /** PUTs the payload. */
    public JsonNode put(String path, Query query, Payload payload) {
        return send(request(path, query).header("Content-Type", payload.contentType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(payload.bytes())).build());
    }

    /** DELETEs the resource; a 204 answer gives a missing node. */
    public JsonNode delete(String path, Query query) {
        return send(request(path, query).DELETE().build());
    }

    /**
     * GETs a file the server answers with a redirect to the object store (or with the bytes), writing it to
     * {@code target}. The redirect is followed without this client's credentials: the URL carries its own.
     */
    public void download(String path, Query query, java.nio.file.Path target) {
        HttpClient noRedirects = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpResponse<java.nio.file.Path> response = noRedirects.send(request(path, query).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(target));
            if (response.statusCode() / 100 == 3) {
                URI location = URI.create(response.headers().firstValue("Location").orElseThrow(() ->
                        new ServerProblemException(Problems.fromResponse(502, "", new byte[0]))));
                response = noRedirects.send(HttpRequest.newBuilder(resolveAgainst(location)).GET()
                        .header("User-Agent", userAgent).build(), HttpResponse.BodyHandlers.ofFile(target));
            }
            if (response.statusCode() / 100 != 2) {
                byte[] body = java.nio.file.Files.readAllBytes(target);
                java.nio.file.Files.deleteIfExists(target);
                throw new ServerProblemException(Problems.fromResponse(response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(""), body));
            }
        } catch (IOException e) {
            throw new ServerUnreachableException(server, describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(server, "interrupted", e);
        }
    }

    private URI resolveAgainst(URI location) {
        return location.isAbsolute() ? location : server.resolve(location);
    }

    URI resolve(String path, Query query) {
        String base = server.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path + query.toQueryString());
    }

    private HttpRequest.Builder request(String path, Query query) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(path, query))
                .timeout(requestTimeout)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent);
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        return builder;
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ServerUnreachableException(server, describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(server, "interrupted", e);
        }
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return successBody(response);
        }
        throw new ServerProblemException(Problems.fromResponse(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body()));
    }

    private JsonNode successBody(HttpResponse<byte[]> response) {
        if (response.body().length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return Json.parse(response.body());
        } catch (IOException e) {
            throw new UnexpectedResponseException("The server at " + server + " answered " + response.request().method()
                    + " " + response.uri().getRawPath() + " with HTTP " + response.statusCode()
                    + " but the body is not JSON; is this the Reprise orchestrator?");
        }
    }

    private String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + human(CONNECT_TIMEOUT);
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + human(requestTimeout);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host " + server.getHost();
            }
            if (t instanceof ConnectException && t.getMessage() == null) {
                return "connection refused";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
