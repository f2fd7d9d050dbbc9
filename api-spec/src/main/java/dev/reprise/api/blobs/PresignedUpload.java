package dev.reprise.api.blobs;

import java.util.Map;

/**
 * One blob the store lacks, with where to put it: PUT the blob's bytes to {@code url}, sending every header given (the
 * URL's signature covers the SHA-256 header, so the store refuses bytes that are not this content).
 */
public record PresignedUpload(String sha256, long size, String url, Map<String, String> headers) {

    public PresignedUpload {
        headers = Map.copyOf(headers);
    }
}
