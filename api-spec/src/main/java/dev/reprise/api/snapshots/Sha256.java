package dev.reprise.api.snapshots;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 as snapshots use it: 64 lowercase hex digits, computed while streaming. */
public final class Sha256 {

    /** The prefix of snapshot ids: {@code sha256:<64 hex>}. */
    public static final String PREFIX = "sha256:";

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 256 * 1024;

    private Sha256() {
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Whether {@code text} is 64 lowercase hex digits. */
    public static boolean isHex(String text) {
        return text != null && HEX.matcher(text).matches();
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of everything {@code in} yields, and how many bytes that was; does not close the stream. */
    public static Hashed of(InputStream in) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            digest.update(buffer, 0, n);
            size += n;
        }
        return new Hashed(HexFormat.of().formatHex(digest.digest()), size);
    }

    /** The base64 form S3 uses in {@code x-amz-checksum-sha256}. */
    public static String base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    /** A content hash and the number of bytes it covers. */
    public record Hashed(String sha256, long size) {
    }
}
