package dev.reprise.cli;

/** Placeholder replaced by the picocli command tree. */
public final class RepriseCli {
    private RepriseCli() {
    }

    public static void main(String[] args) {
        System.out.println("reprise");
    }
}
