package dev.reprise.orchestrator.execution;

import dev.reprise.api.trial.TrialVariable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables each rank of a distributed trial ({@code resources.nodes} &gt; 1) gets: PyTorch's {@code env://}
 * contract plus torchrun's node arguments, so that both {@code python train.py} calling
 * {@code init_process_group("gloo"|"nccl")} and {@code torchrun --nnodes=$NNODES --node_rank=$NODE_RANK
 * --master_addr=$MASTER_ADDR --master_port=$MASTER_PORT --nproc_per_node=G train.py} work unchanged.
 *
 * <p>The command runs once per node, so without torchrun there is one process per node: {@code WORLD_SIZE} = N and
 * {@code RANK} = {@code NODE_RANK}, {@code LOCAL_RANK} = 0. torchrun overwrites {@code WORLD_SIZE}, {@code RANK}
 * and {@code LOCAL_RANK} for each process it starts. A one-node trial gets none of these (nothing changes for it).
 */
public final class DistributedEnv {

    public static final String MASTER_ADDR = "MASTER_ADDR";
    public static final String MASTER_PORT = "MASTER_PORT";
    public static final String WORLD_SIZE = "WORLD_SIZE";
    public static final String RANK = "RANK";
    public static final String LOCAL_RANK = "LOCAL_RANK";
    public static final String NNODES = "NNODES";
    public static final String NODE_RANK = "NODE_RANK";
    /** Reprise's own copies (in the trial contract), which torchrun does not touch: what the agent reads. */
    public static final String REPRISE_NNODES = TrialVariable.NNODES.variable();
    public static final String REPRISE_NODE_RANK = TrialVariable.NODE_RANK.variable();
    /** The port rank 0 listens on for the process group when the executor chooses none (Kubernetes pods). */
    public static final int DEFAULT_MASTER_PORT =
            dev.reprise.orchestrator.domain.distributed.Rendezvous.MASTER_PORT;

    /** How many ports {@link #sharedNetworkPort} spreads attempts over, from {@link #DEFAULT_MASTER_PORT} up. */
    static final int SHARED_NETWORK_PORTS = 1000;

    private DistributedEnv() {
    }

    /**
     * The port rank 0 of an attempt listens on when trial pods share their node's network ({@code hostNetwork}, a
     * cluster without a pod network): there every rank 0 on a node would otherwise bind the same 29500, so each
     * attempt gets its own port in 29500–30499, the same for every rank and replica (a function of the run and the
     * attempt). Two attempts whose run ids differ by less than 62, with attempt numbers below 16, never share one.
     */
    public static int sharedNetworkPort(long runId, int attempt) {
        return DEFAULT_MASTER_PORT + (int) Math.floorMod(runId * 16 + attempt, (long) SHARED_NETWORK_PORTS);
    }

    /** Every variable of rank {@code nodeRank} of {@code nodes}, with the master at {@code masterAddr:masterPort}. */
    public static Map<String, String> forRank(int nodes, int nodeRank, String masterAddr, int masterPort) {
        if (nodeRank < 0 || nodeRank >= nodes) {
            throw new IllegalArgumentException("rank " + nodeRank + " of " + nodes + " nodes");
        }
        Map<String, String> env = new LinkedHashMap<>(ranklessFor(nodes, masterPort));
        env.put(MASTER_ADDR, masterAddr);
        env.put(RANK, Integer.toString(nodeRank));
        env.put(NODE_RANK, Integer.toString(nodeRank));
        env.put(REPRISE_NODE_RANK, Integer.toString(nodeRank));
        return env;
    }

    /** What every rank shares (the rank and the master's address are set per pod where they are known later). */
    public static Map<String, String> ranklessFor(int nodes, int masterPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(MASTER_PORT, Integer.toString(masterPort));
        env.put(WORLD_SIZE, Integer.toString(nodes));
        env.put(LOCAL_RANK, "0");
        env.put(NNODES, Integer.toString(nodes));
        env.put(REPRISE_NNODES, Integer.toString(nodes));
        return env;
    }
}
