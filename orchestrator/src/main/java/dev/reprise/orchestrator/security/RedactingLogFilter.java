package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.domain.security.SecretRedactor;
import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Redacts secrets (tokens, JWTs, passwords in assignments and URLs) from every log message before it is written;
 * installed on the console handler by quarkus.log.console.filter.
 */
@LoggingFilter(name = "reprise-redact")
public final class RedactingLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            String redacted = SecretRedactor.redact(message);
            if (redacted != null && !redacted.equals(message)) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        return true;
    }
}
