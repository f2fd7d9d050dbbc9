package dev.reprise.orchestrator.domain.distributed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The barrier and rank assignment of one distributed attempt ({@code resources.nodes} = N &gt; 1), decided purely
 * from the members that registered (ADR 0008). A member is one pod (or process) under its own agent; it registers
 * its address and, where the executor knows it (an Indexed Job's completion index), its rank.
 *
 * <p>The rendezvous is complete once N distinct members registered; only then does any member learn its rank and
 * rank 0's address, so that no rank starts training before every rank is up (all-or-nothing). Ranks are
 * deterministic: a member that brought its rank keeps it; the others take the free ranks in the order of their
 * member names (pod names), so every member computes the same answer whenever it asks.
 */
public final class Rendezvous {

    /** The port rank 0 listens on in a pod (every pod has its own network namespace): PyTorch's default. */
    public static final int MASTER_PORT = 29500;

    private Rendezvous() {
    }

    /** One registered member: {@code rankHint} null when the executor did not assign a rank. */
    public record Member(String name, String address, String node, Integer rankHint) {
    }

    /** What a member is told. */
    public sealed interface Answer {

        /** Not every rank is up yet: wait and ask again. */
        record Waiting(int registered, int nodes) implements Answer {
        }

        /** Every rank is up: this member's rank and rank 0's address. */
        record Ready(int rank, int nodes, String masterAddress, Map<String, Integer> ranks) implements Answer {
        }

        /** The member cannot join: the attempt already has N other members, or two claim the same rank. */
        record Refused(String reason) implements Answer {
        }
    }

    /** The answer for {@code member} once the registered {@code members} (the member itself included) are known. */
    public static Answer answer(int nodes, List<Member> members, String member) {
        if (members.stream().noneMatch(m -> m.name().equals(member))) {
            throw new IllegalArgumentException("member " + member + " has not registered");
        }
        Optional<String> conflict = conflict(nodes, members);
        if (conflict.isPresent()) {
            return new Answer.Refused(conflict.get());
        }
        Map<String, Integer> ranks = ranks(nodes, members);
        if (!ranks.containsKey(member)) {
            return new Answer.Refused("the attempt already has its " + nodes + " ranks (" + String.join(", ",
                    ranks.keySet()) + "); " + member + " cannot join a process group that has formed");
        }
        if (members.size() < nodes) {
            return new Answer.Waiting(members.size(), nodes);
        }
        String master = members.stream().filter(m -> ranks.get(m.name()) == 0).findFirst()
                .map(Member::address).orElseThrow();
        return new Answer.Ready(ranks.get(member), nodes, master, ranks);
    }

    /**
     * Every member's rank: hinted ranks as given, the free ranks to the others in name order. Members past the
     * first N (by registration order) get none.
     */
    public static Map<String, Integer> ranks(int nodes, List<Member> members) {
        List<Member> first = members.subList(0, Math.min(nodes, members.size()));
        TreeSet<Integer> free = new TreeSet<>();
        for (int r = 0; r < nodes; r++) {
            free.add(r);
        }
        first.stream().map(Member::rankHint).filter(h -> h != null).forEach(free::remove);
        Map<String, Integer> ranks = new LinkedHashMap<>();
        List<Member> byName = new ArrayList<>(first);
        byName.sort(Comparator.comparing(Member::name));
        for (Member m : byName) {
            ranks.put(m.name(), m.rankHint() != null ? m.rankHint() : free.pollFirst());
        }
        return ranks;
    }

    /**
     * Which ranks are missing, in words, for the start deadline's failure cause: "rank 1 (of 2; registered: rank 0
     * pod-a on node-1)" where ranks are known in advance, else how many are missing and who is there.
     */
    public static String missing(int nodes, List<Member> members) {
        boolean hinted = !members.isEmpty() && members.stream().allMatch(m -> m.rankHint() != null);
        StringBuilder s = new StringBuilder();
        if (hinted || members.isEmpty()) {
            TreeSet<Integer> absent = new TreeSet<>();
            for (int r = 0; r < nodes; r++) {
                absent.add(r);
            }
            members.forEach(m -> absent.remove(m.rankHint()));
            s.append(absent.size() == 1 ? "rank " : "ranks ")
                    .append(String.join(", ", absent.stream().map(String::valueOf).toList()));
        } else {
            int absent = nodes - Math.min(nodes, members.size());
            s.append(absent).append(absent == 1 ? " rank" : " ranks");
        }
        s.append(" of ").append(nodes).append(" never registered");
        if (!members.isEmpty()) {
            s.append(" (registered: ");
            s.append(String.join(", ", members.stream().map(m -> (m.rankHint() != null ? "rank " + m.rankHint()
                    + " " : "") + m.name() + (m.node() != null ? " on " + m.node() : "")).toList()));
            s.append(")");
        }
        return s.toString();
    }

    private static Optional<String> conflict(int nodes, List<Member> members) {
        Map<Integer, String> claimed = new LinkedHashMap<>();
        for (Member m : members.subList(0, Math.min(nodes, members.size()))) {
            if (m.rankHint() == null) {
                continue;
            }
            if (m.rankHint() < 0 || m.rankHint() >= nodes) {
                return Optional.of(m.name() + " claims rank " + m.rankHint() + " of " + nodes);
            }
            String other = claimed.putIfAbsent(m.rankHint(), m.name());
            if (other != null) {
                return Optional.of(other + " and " + m.name() + " both claim rank " + m.rankHint());
            }
        }
        return Optional.empty();
    }
}
