package dev.reprise.agent.distributed;

import dev.reprise.agent.AgentLog;
import dev.reprise.agent.AgentOptions;
import dev.reprise.agent.Hosts;
import dev.reprise.api.trial.TrialEnvironment;
import dev.reprise.api.trial.TrialVariable;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * This agent as one rank of a distributed trial whose executor left the ranks to the rendezvous (Kubernetes:
 * {@code REPRISE_RENDEZVOUS_URL} and {@code REPRISE_NNODES} &gt; 1). {@link #join()} blocks until every rank is up.
 */
public final class DistributedRank {

    /** How {@link #join()} ended. */
    public sealed interface Outcome {
    }

    /** Every rank is up: start the command with these variables. */
    public record Joined(RendezvousClient.Result.Ready ready) implements Outcome {
    }

    /** The command must not start; the agent exits with this code. */
    public record NotJoined(int exitCode) implements Outcome {
    }

    private final RendezvousClient client;
    private final String member;
    private final String address;
    private final String node;
    private final Integer rank;
    private final AgentLog log;

    private DistributedRank(RendezvousClient client, String member, String address, String node, Integer rank,
            AgentLog log) {
        this.client = client;
        this.member = member;
        this.address = address;
        this.node = node;
        this.rank = rank;
        this.log = log;
    }

    /** This agent's rank-to-be, or null when the trial is not distributed or its executor placed the ranks. */
    public static DistributedRank of(Map<String, String> env, AgentOptions options, AgentLog log) {
        TrialEnvironment trial = TrialEnvironment.read(env);
        String url = trial.get(TrialVariable.RENDEZVOUS_URL).orElse(null);
        Integer nodes = trial.get(TrialVariable.NNODES).map(DistributedRank::integer).orElse(1);
        if (url == null || url.isBlank() || nodes == null || nodes < 2) {
            return null;
        }
        String member = trial.get(TrialVariable.POD_NAME).filter(s -> !s.isBlank()).orElse(Hosts.name(env));
        String address = trial.get(TrialVariable.POD_IP).filter(s -> !s.isBlank()).orElse(member);
        String node = trial.get(TrialVariable.NODE_NAME).filter(s -> !s.isBlank()).orElse(null);
        Integer rank = trial.get(TrialVariable.NODE_RANK).filter(s -> !s.isBlank()).map(DistributedRank::integer)
                .orElse(null);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return new DistributedRank(new RendezvousClient(http, URI.create(url.strip()), options.runToken(),
                Duration.ofSeconds(1), log::warn), member.toLowerCase(java.util.Locale.ROOT), address, node, rank, log);
    }

    /** Registers at the rendezvous and waits for every rank. */
    public Outcome join() {
        log.warn("distributed trial: " + member + " (" + address + (node == null ? "" : " on " + node)
                + ") waits at the rendezvous until every rank is up");
        RendezvousClient.Result r = client.await(member, address, node, rank);
        if (r instanceof RendezvousClient.Result.Ready ready) {
            return new Joined(ready);
        }
        if (r instanceof RendezvousClient.Result.Refused refused) {
            log.warn("rendezvous refused this rank (" + refused.reason() + "); the command was not started");
            return new NotJoined(RendezvousClient.EXIT_REFUSED);
        }
        log.warn("stopped while waiting at the rendezvous; the command was not started");
        return new NotJoined(128 + 15);
    }

    /** Stops waiting (SIGTERM). */
    public void cancel() {
        client.cancel();
    }

    private static Integer integer(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
