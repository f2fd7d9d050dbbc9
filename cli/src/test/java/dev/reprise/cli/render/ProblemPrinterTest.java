package dev.reprise.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.client.Problem;
import dev.reprise.cli.client.Problem.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemPrinterTest {

    @Test
    void printsStatusTitleAndDetailThenOneIndentedLinePerFieldError() {
        Problem problem = new Problem("about:blank", "Invalid sweep", 422, "2 fields are invalid", "/api/v1/sweeps",
                List.of(new FieldError("parameters.lr.min", "min (5.0) must not exceed max (1.0)"),
                        new FieldError("name", "must not be blank")));

        assertThat(ProblemPrinter.format(problem)).isEqualTo("""
                Error 422 Invalid sweep: 2 fields are invalid
                  parameters.lr.min: min (5.0) must not exceed max (1.0)
                  name: must not be blank""");
    }

    @Test
    void leavesOutTheColonWhenThereIsNoDetail() {
        assertThat(ProblemPrinter.format(new Problem(null, "Not Found", 404, null, null, null)))
                .isEqualTo("Error 404 Not Found");
    }

    @Test
    void printsAFieldErrorWithoutFieldAsItsMessageAlone() {
        Problem problem = new Problem(null, "Invalid sweep", 422, null, null,
                List.of(new FieldError(null, "the document is not valid YAML")));

        assertThat(ProblemPrinter.format(problem)).isEqualTo("Error 422 Invalid sweep\n  the document is not valid YAML");
    }

    @Test
    void pointsAtTheTokenSettingsWhenUnauthorized() {
        assertThat(ProblemPrinter.format(new Problem(null, "Unauthorized", 401, "token expired", null, null)))
                .startsWith("Error 401 Unauthorized: token expired\n")
                .contains("--token", "REPRISE_TOKEN", "token=");
    }
}
