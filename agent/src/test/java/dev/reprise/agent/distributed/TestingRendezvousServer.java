package dev.reprise.agent.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written rendezvous endpoint for agent tests, answering like the orchestrator's: 202 until {@code nodes}
 * members registered, then 200 with the rank by member name and rank 0's address; 409 for a member past them or
 * when told to refuse. It records the Authorization header of each call.
 */
final class TestingRendezvousServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final int nodes;
    private final Map<String, String> members = new TreeMap<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile boolean refuse;

    TestingRendezvousServer(int nodes) throws IOException {
        this.nodes = nodes;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/runs/7/attempts/0/rendezvous", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/runs/7/attempts/0/rendezvous";
    }

    /** Another rank registers (as its own agent would). */
    synchronized void register(String member, String address) {
        members.put(member, address);
    }

    synchronized boolean registered(String member) {
        return members.containsKey(member);
    }

    void refuseEveryone() {
        refuse = true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String member = body.path("member").asText();
        int status;
        String answer;
        synchronized (this) {
            if (!refuse) {
                members.putIfAbsent(member, body.path("address").asText());
            }
            List<String> names = List.copyOf(members.keySet());
            if (refuse || names.indexOf(member) >= nodes) {
                status = 409;
                answer = "{\"status\":409,\"detail\":\"run 7 attempt 0 is not running\"}";
            } else if (names.size() < nodes) {
                status = 202;
                answer = "{\"state\":\"WAITING\",\"registered\":" + names.size() + ",\"nodes\":" + nodes + "}";
            } else {
                status = 200;
                answer = "{\"state\":\"READY\",\"registered\":" + nodes + ",\"nodes\":" + nodes + ",\"rank\":"
                        + names.indexOf(member) + ",\"masterAddr\":\"" + members.get(names.get(0))
                        + "\",\"masterPort\":29500}";
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
