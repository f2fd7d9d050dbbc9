package dev.reprise.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsLikeGitHubsXHubSignature256() {
        // the example of GitHub's documentation, "Validating webhook deliveries"
        assertThat(WebhookSignature.sign("It's a Secret to Everybody", HELLO))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void verifiesOnlyTheExactBodyWithTheRightSecret() {
        String header = WebhookSignature.sign("s3cret", HELLO);
        assertThat(WebhookSignature.verifies("s3cret", HELLO, header)).isTrue();
        assertThat(WebhookSignature.verifies("other", HELLO, header)).isFalse();
        assertThat(WebhookSignature.verifies("s3cret", "Hello, World?".getBytes(StandardCharsets.UTF_8), header))
                .isFalse();
        assertThat(WebhookSignature.verifies("s3cret", HELLO, null)).isFalse();
    }
}
