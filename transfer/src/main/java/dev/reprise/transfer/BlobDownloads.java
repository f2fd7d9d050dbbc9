package dev.reprise.transfer;

import dev.reprise.api.snapshots.InvalidManifestException;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;
import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.api.snapshots.SnapshotVerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads one blob from its presigned URL into a temporary file, proving it on the way: the size and SHA-256 must be
 * the manifest's, a missing or corrupt blob is a {@link SnapshotVerificationException}. I/O errors and HTTP 5xx are
 * retried with backoff; an expired URL (HTTP 403) renews the listing ({@link Listing}).
 */
final class BlobDownloads {

    private static final int MAX_ATTEMPTS = 4;
    private static final int MAX_LISTING_REFRESHES = 3;

    private final Duration connectTimeout;
    private final Duration readTimeout;

    BlobDownloads(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    Path download(ManifestEntry e, Path dir, Listing listing)
            throws IOException, SnapshotVerificationException, InterruptedException {
        IOException last = null;
        int refreshes = 0;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            URI url = listing.url(e);
            Path tmp = SnapshotFiles.temporary(dir, e.sha256());
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            boolean keep = false;
            try {
                int status = c.getResponseCode();
                if (status == 404) {
                    errorBody(c);
                    throw new SnapshotVerificationException("blob sha256:" + e.sha256() + " of '" + e.path() + "' ("
                            + e.size() + " bytes) is missing from the store");
                }
                if (status == 403 && refreshes < MAX_LISTING_REFRESHES) {
                    errorBody(c);
                    refreshes++;
                    attempt--;
                    listing.refresh(url);
                    continue;
                }
                if (status != 200) {
                    throw new IOException("the store answered HTTP " + status + " for blob sha256:" + e.sha256()
                            + ": " + errorBody(c));
                }
                long declared = c.getContentLengthLong();
                if (declared >= 0 && declared != e.size()) {
                    errorBody(c);
                    throw new SnapshotVerificationException("blob sha256:" + e.sha256() + " of '" + e.path()
                            + "' is corrupt in the store: it holds " + declared + " bytes, the manifest records "
                            + e.size());
                }
                MessageDigest digest = Sha256.digest();
                long n;
                try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                    n = SnapshotFiles.copy(in, out, digest, e.size() + 1);
                }
                if (n != e.size()) {
                    if (declared >= 0) {
                        throw new IOException("the transfer of blob sha256:" + e.sha256() + " ended after " + n
                                + " of " + e.size() + " bytes");
                    }
                    throw new SnapshotVerificationException("blob sha256:" + e.sha256() + " of '" + e.path()
                            + "' is corrupt in the store: it holds " + (n > e.size() ? "more than " : "") + n
                            + " bytes, the manifest records " + e.size());
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(e.sha256())) {
                    throw new SnapshotVerificationException("blob sha256:" + e.sha256() + " of '" + e.path()
                            + "' is corrupt in the store: its content hashes to sha256:" + actual);
                }
                keep = true;
                return tmp;
            } catch (InterruptedIOException ex) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("download of " + e.path() + " cancelled");
                }
                last = ex;
            } catch (IOException ex) {
                last = ex;
            } finally {
                c.disconnect();
                if (!keep) {
                    Files.deleteIfExists(tmp);
                }
            }
            if (attempt < MAX_ATTEMPTS) {
                Thread.sleep(100L << (2 * (attempt - 1)));
            }
        }
        throw new IOException("cannot download blob sha256:" + e.sha256() + " of '" + e.path() + "' after "
                + MAX_ATTEMPTS + " attempts: " + (last == null ? "expired URLs" : last.getMessage()), last);
    }

    static String errorBody(HttpURLConnection c) {
        try (InputStream err = c.getErrorStream()) {
            if (err == null) {
                return "(no body)";
            }
            byte[] bytes = err.readNBytes(300);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        } catch (IOException e) {
            return "(unreadable body)";
        }
    }

    /** The current listing; renewed (once per expired URL) when the store refuses an expired presigned URL. */
    static final class Listing {
        private final SnapshotMaterializer.ListingSource source;
        private volatile DownloadListing current;

        Listing(SnapshotMaterializer.ListingSource source, DownloadListing first) {
            this.source = source;
            this.current = first;
        }

        SnapshotManifest verify(String expectedId) throws SnapshotVerificationException {
            SnapshotManifest manifest;
            try {
                manifest = current.manifest();
            } catch (InvalidManifestException e) {
                throw new SnapshotVerificationException("the orchestrator sent an invalid manifest for "
                        + current.id() + ": " + e.getMessage());
            }
            String actual = manifest.id();
            String wanted = expectedId != null ? expectedId : current.id();
            if (!actual.equals(wanted)) {
                throw new SnapshotVerificationException("the manifest served for " + wanted + " hashes to " + actual
                        + ": it is not the snapshot asked for");
            }
            for (ManifestEntry e : manifest.entries()) {
                if (!current.urls().containsKey(e.sha256())) {
                    throw new SnapshotVerificationException("the listing has no URL for blob sha256:" + e.sha256());
                }
            }
            return manifest;
        }

        URI url(ManifestEntry e) {
            return current.urls().get(e.sha256());
        }

        synchronized void refresh(URI expired) throws IOException, SnapshotVerificationException {
            if (current.urls().containsValue(expired)) {
                DownloadListing previous = current;
                current = source.fetch();
                verify(previous.id());
            }
        }
    }

}
