package dev.reprise.cli.client;

/** A request body sent byte for byte, with its content type. */
public record Payload(String contentType, byte[] bytes) {

    public Payload {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
