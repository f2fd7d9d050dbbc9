package dev.reprise.cli.client;

/** The metric a sweep optimises, e.g. {@code val_acc} with goal {@code maximize}. */
public record Metric(String name, String goal) {
}
