package dev.reprise.transfer;

import dev.reprise.api.blobs.PresignedUpload;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Puts one blob into the store with the presigned upload the orchestrator handed out (api-spec's
 * {@link dev.reprise.api.blobs.BlobTransfer} protocol), streaming it from disk: the one pusher of the agent's artifact
 * and checkpoint uploads and the CLI's {@code data push}. Connection errors and 5xx answers are retried a few times
 * with backoff; a 403 (the URL expired) asks {@code renew} once for a fresh upload, or for none when the store has the
 * blob by now; the store refusing the bytes for their SHA-256 means the file changed after it was hashed.
 */
public final class BlobPusher {

    private static final int TRIES = 3;

    private final HttpClient http;
    private final Duration timeout;

    public BlobPusher(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * PUTs {@code source} (described to the user as {@code what}) to {@code upload}; {@code renew} gives a fresh
     * upload for an expired URL, or empty when the blob needs no upload any more.
     */
    public void push(PresignedUpload upload, Path source, String what,
            Function<PresignedUpload, Optional<PresignedUpload>> renew) throws BlobPushException, InterruptedException {
        PresignedUpload u = upload;
        boolean renewed = false;
        IOException last = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            HttpResponse<String> response;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(u.url())).timeout(timeout)
                        .PUT(HttpRequest.BodyPublishers.ofFile(source));
                u.headers().forEach(request::header);
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (FileNotFoundException | NoSuchFileException e) {
                throw new BlobPushException(BlobPushException.Kind.FILE_GONE,
                        what + ": the file disappeared after it was hashed", e);
            } catch (IOException e) {
                last = e;
                backOff(attempt);
                continue;
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return;
            }
            String body = response.body();
            if (status == 400 && body.contains("BadDigest")) {
                throw new BlobPushException(BlobPushException.Kind.CHANGED_SINCE_HASHED, what + ": the file changed "
                        + "after it was hashed (the store refused bytes that do not match its SHA-256)", null);
            }
            if (status == 403 && !renewed) {
                renewed = true;
                attempt--;
                Optional<PresignedUpload> fresh = renew.apply(u);
                if (fresh.isEmpty()) {
                    return;
                }
                u = fresh.get();
                continue;
            }
            IOException refused = new IOException("HTTP " + status + ": " + excerpt(body));
            if (status < 500) {
                throw new BlobPushException(BlobPushException.Kind.REFUSED, "the object store refused " + what
                        + " (HTTP " + status + "): " + excerpt(body), refused);
            }
            last = refused;
            backOff(attempt);
        }
        boolean unreachable = last instanceof ConnectException || last instanceof HttpConnectTimeoutException
                || (last != null && last.getCause() instanceof ConnectException);
        URI target = URI.create(u.url());
        throw new BlobPushException(unreachable ? BlobPushException.Kind.UNREACHABLE : BlobPushException.Kind.FAILED,
                "cannot upload " + what + " to " + target.getHost() + ":" + target.getPort() + ": "
                        + (last == null ? "no answer" : describe(last)), last);
    }

    private static void backOff(int attempt) throws InterruptedException {
        if (attempt < TRIES) {
            Thread.sleep(200L << attempt);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
