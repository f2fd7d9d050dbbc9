package dev.reprise.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * PUTs blobs straight to the object store with the presigned URLs the orchestrator hands out, streaming each file from
 * disk, several at once. The URL's signature covers the SHA-256 header, so the store refuses bytes that are not the
 * hashed content (a file edited since it was hashed). Transient failures are retried; an expired URL is renewed.
 */
public final class BlobUploader implements AutoCloseable {

    private static final int MAX_ATTEMPTS = 3;

    /** One upload: the blob's bytes are in {@code source}; the URL and headers come from the orchestrator. */
    public record Upload(String sha256, long size, Path source, String what, String url,
                         Map<String, String> headers) {

        /** From one element of the orchestrator's {@code missing} list (or its {@code manifest}). */
        public static Upload of(JsonNode node, Path source, String what) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.path("headers").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> h = it.next();
                headers.put(h.getKey(), h.getValue().asText());
            }
            return new Upload(node.path("sha256").asText(), node.path("size").asLong(), source, what,
                    node.path("url").asText(), headers);
        }
    }

    private final HttpClient http;
    private final ExecutorService pool;
    private final Duration timeout;

    public BlobUploader(int parallelism, Duration timeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "reprise-upload");
            t.setDaemon(true);
            return t;
        });
        this.timeout = timeout;
    }

    /**
     * Starts the upload on the pool; {@code renew} gives a fresh upload for a blob whose URL expired (or null when
     * the store has the blob by now).
     */
    public Future<?> submit(Upload upload, Function<Upload, Upload> renew) {
        return pool.submit(() -> {
            upload(upload, renew);
            return null;
        });
    }

    /** Uploads all and waits for them. */
    public void uploadAll(List<Upload> uploads, Function<Upload, Upload> renew) {
        List<Future<?>> futures = new ArrayList<>();
        uploads.forEach(u -> futures.add(submit(u, renew)));
        awaitAll(futures);
    }

    /** Waits for the uploads; the first failure cancels the others and is thrown. */
    public static void awaitAll(List<Future<?>> futures) {
        try {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new DataTransferException("upload failed: " + e.getCause(), false, e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(other -> other.cancel(true));
            throw new DataTransferException("interrupted while uploading", false, e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private void upload(Upload first, Function<Upload, Upload> renew) throws InterruptedException {
        Upload u = first;
        boolean renewed = false;
        IOException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            HttpResponse<String> response;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(u.url()))
                        .timeout(timeout)
                        .PUT(HttpRequest.BodyPublishers.ofFile(u.source()));
                u.headers().forEach(request::header);
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (FileNotFoundException e) {
                throw new DataInputException(u.what() + ": the file disappeared after it was hashed; push again");
            } catch (IOException e) {
                last = e;
                if (attempt < MAX_ATTEMPTS) {
                    Thread.sleep(200L << attempt);
                }
                continue;
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return;
            }
            String body = response.body();
            if (status == 400 && body.contains("BadDigest")) {
                throw new DataInputException(u.what() + ": the file changed after it was hashed (the store refused "
                        + "bytes that do not match its SHA-256); push again");
            }
            if (status == 403 && !renewed) {
                renewed = true;
                attempt--;
                u = renew.apply(u);
                if (u == null) {
                    return;
                }
                continue;
            }
            if (status >= 500 && attempt < MAX_ATTEMPTS) {
                Thread.sleep(200L << attempt);
                continue;
            }
            throw new DataTransferException("the object store refused " + u.what() + " (HTTP " + status + "): "
                    + excerpt(body), false, null);
        }
        boolean unreachable = last instanceof ConnectException || last instanceof HttpConnectTimeoutException
                || (last != null && last.getCause() instanceof ConnectException);
        URI target = URI.create(u.url());
        throw new DataTransferException("cannot upload " + u.what() + " to " + target.getHost() + ":"
                + target.getPort() + ": " + (last == null ? "no answer" : describe(last)), unreachable, last);
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
