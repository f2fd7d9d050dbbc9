package dev.reprise.cli.command;

import dev.reprise.cli.client.Payload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a sweep file as the bytes to send. The content type follows the extension ({@code .yaml}/{@code .yml}:
 * {@code application/yaml}, {@code .json}: {@code application/json}); other files are JSON when they start with
 * an opening brace and YAML otherwise.
 */
final class SweepFiles {
    static final String YAML = "application/yaml";
    static final String JSON = "application/json";

    private SweepFiles() {
    }

    static Payload read(Path path) {
        if (Files.isDirectory(path)) {
            throw unreadable(path, "it is a directory");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw unreadable(path, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(path, "permission denied");
        } catch (IOException e) {
            throw unreadable(path, e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw unreadable(path, "the file is empty");
        }
        return new Payload(contentType(path, text), bytes);
    }

    private static String contentType(Path path, String text) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        return text.replace("\uFEFF", "").startsWith("{") ? JSON : YAML;
    }

    private static SweepFileException unreadable(Path path, String reason) {
        return new SweepFileException("Cannot read sweep file '" + path + "': " + reason);
    }
}
