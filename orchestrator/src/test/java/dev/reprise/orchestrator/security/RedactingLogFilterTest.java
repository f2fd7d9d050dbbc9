package dev.reprise.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class RedactingLogFilterTest {

    @Test
    void masksSecretsInFormattedLogMessages() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "calling with %s and password=%s",
                ExtLogRecord.FormatStyle.PRINTF, RedactingLogFilterTest.class.getName());
        record.setParameters(new Object[] {"Bearer rpr_api_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg", "hunter2"});
        assertThat(new RedactingLogFilter().isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage())
                .isEqualTo("calling with Bearer rpr_api_[redacted] and password=[redacted]");
    }

    @Test
    void leavesOrdinaryMessagesAsTheyAre() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "run %d finished", ExtLogRecord.FormatStyle.PRINTF,
                RedactingLogFilterTest.class.getName());
        record.setParameters(new Object[] {42});
        new RedactingLogFilter().isLoggable(record);
        assertThat(record.getFormattedMessage()).isEqualTo("run 42 finished");
    }
}
