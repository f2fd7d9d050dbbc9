package dev.reprise.api.blobs;

/** A blob by its content: the hex SHA-256 of its bytes and their number. */
public record BlobRef(String sha256, long size) {
}
