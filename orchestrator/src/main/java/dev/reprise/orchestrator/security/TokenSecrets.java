package dev.reprise.orchestrator.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** New token secrets (256 random bits behind a recognisable prefix) and the hashes they are stored as. */
public final class TokenSecrets {

    public static final String API_PREFIX = "rpr_api_";
    public static final String SESSION_PREFIX = "rpr_ses_";
    public static final String RUN_PREFIX = "rpr_run_";
    public static final String LOCAL_PREFIX = "rpr_loc_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {
    }

    /** PREFIX + 43 base64url characters (32 random bytes). */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of the whole token text: what the database keeps. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares without leaking where the first difference is. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
