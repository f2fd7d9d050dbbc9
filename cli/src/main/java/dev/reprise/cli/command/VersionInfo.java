package dev.reprise.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The CLI's version, from {@code reprise-cli.properties} which Maven fills in at build time. */
public final class VersionInfo implements IVersionProvider {
    private static final String RESOURCE = "/reprise-cli.properties";

    public static String version() {
        try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"reprise " + version()};
    }
}
