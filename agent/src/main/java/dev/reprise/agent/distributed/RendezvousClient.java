package dev.reprise.agent.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One rank's side of a distributed attempt's rendezvous (ADR 0008): registers this pod's name and IP at the
 * orchestrator ({@code REPRISE_RENDEZVOUS_URL}, with the run token) and asks again until every rank is up. Only then
 * does the command start, with its rank and rank 0's address. Transport errors are retried (the orchestrator may
 * blink); a refusal (409: the attempt is over or has its ranks) ends the wait. The orchestrator's start deadline
 * bounds the wait: past it the attempt fails and the pod is deleted (SIGTERM, {@link #cancel()}).
 */
public final class RendezvousClient {

    /** The agent's exit code when the rendezvous refused this rank or was stopped: the command never started. */
    public static final int EXIT_REFUSED = 75;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the rank learnt. */
    public sealed interface Result {

        record Ready(int rank, int nodes, String masterAddr, int masterPort) implements Result {

            /** The variables the command gets: PyTorch's env:// contract with this rank and rank 0's address. */
            public Map<String, String> env() {
                Map<String, String> env = new LinkedHashMap<>();
                env.put("MASTER_ADDR", masterAddr);
                env.put("MASTER_PORT", Integer.toString(masterPort));
                env.put("WORLD_SIZE", Integer.toString(nodes));
                env.put("RANK", Integer.toString(rank));
                env.put("NODE_RANK", Integer.toString(rank));
                env.put("LOCAL_RANK", "0");
                env.put("NNODES", Integer.toString(nodes));
                env.put(dev.reprise.api.trial.TrialVariable.NNODES.variable(), Integer.toString(nodes));
                env.put(dev.reprise.api.trial.TrialVariable.NODE_RANK.variable(), Integer.toString(rank));
                return env;
            }
        }

        record Refused(String reason) implements Result {
        }

        record Stopped() implements Result {
        }
    }

    private final HttpClient http;
    private final URI url;
    private final Optional<String> token;
    private final Duration pollInterval;
    private final Consumer<String> log;
    private volatile boolean cancelled;
    private volatile Thread waiting;

    public RendezvousClient(HttpClient http, URI url, Optional<String> token, Duration pollInterval,
            Consumer<String> log) {
        this.http = http;
        this.url = url;
        this.token = token;
        this.pollInterval = pollInterval;
        this.log = log;
    }

    /** Stops waiting (a SIGTERM came: the attempt is being stopped). */
    public void cancel() {
        cancelled = true;
        Thread t = waiting;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Registers and waits until every rank is up, the rendezvous refuses, or {@link #cancel()}. */
    public Result await(String member, String address, String node, Integer rank) {
        waiting = Thread.currentThread();
        ObjectNode body = JSON.createObjectNode().put("member", member).put("address", address);
        body.put("node", node);
        if (rank != null) {
            body.put("rank", rank);
        } else {
            body.putNull("rank");
        }
        int lastRegistered = -1;
        String lastError = null;
        try {
            while (!cancelled) {
                try {
                    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
                    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
                    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    int status = response.statusCode();
                    if (status == 200) {
                        JsonNode r = JSON.readTree(response.body());
                        Result.Ready ready = new Result.Ready(r.path("rank").asInt(), r.path("nodes").asInt(),
                                r.path("masterAddr").asText(), r.path("masterPort").asInt(29500));
                        log.accept("rendezvous: every rank is up; this is rank " + ready.rank() + " of "
                                + ready.nodes() + ", rank 0 at " + ready.masterAddr() + ":" + ready.masterPort());
                        return ready;
                    }
                    if (status == 202) {
                        int registered = JSON.readTree(response.body()).path("registered").asInt();
                        if (registered != lastRegistered) {
                            log.accept("rendezvous: " + registered + " of " + JSON.readTree(response.body())
                                    .path("nodes").asInt() + " ranks up; waiting for the others");
                            lastRegistered = registered;
                        }
                    } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
                        String detail = detail(response.body());
                        return new Result.Refused("HTTP " + status + (detail == null ? "" : ": " + detail));
                    } else {
                        lastError = "HTTP " + status;
                    }
                } catch (IOException e) {
                    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                    if (!error.equals(lastError)) {
                        log.accept("rendezvous: cannot reach " + url + " (" + error + "); retrying");
                        lastError = error;
                    }
                }
                Thread.sleep(pollInterval.toMillis());
            }
        } catch (InterruptedException e) {
            // cancelled while waiting
        } finally {
            waiting = null;
            Thread.interrupted();
        }
        return new Result.Stopped();
    }

    private static String detail(String body) {
        try {
            JsonNode d = JSON.readTree(body).path("detail");
            return d.isTextual() ? d.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
