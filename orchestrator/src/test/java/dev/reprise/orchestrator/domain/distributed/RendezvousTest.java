package dev.reprise.orchestrator.domain.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.distributed.Rendezvous.Answer;
import dev.reprise.orchestrator.domain.distributed.Rendezvous.Member;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {

    private static Member pod(String name, String ip) {
        return new Member(name, ip, "node-" + name, null);
    }

    @Test
    void noRankLearnsAnythingBeforeEveryRankRegistered() {
        List<Member> one = List.of(pod("job-b", "10.0.0.2"));
        assertThat(Rendezvous.answer(2, one, "job-b")).isEqualTo(new Answer.Waiting(1, 2));
    }

    @Test
    void ranksGoByPodNameSoEveryMemberComputesTheSameAnswerAndRankZerosAddressIsTheMaster() {
        List<Member> all = List.of(pod("job-c", "10.0.0.3"), pod("job-a", "10.0.0.1"), pod("job-b", "10.0.0.2"));
        Answer a = Rendezvous.answer(3, all, "job-a");
        Answer c = Rendezvous.answer(3, all, "job-c");
        assertThat(a).isInstanceOfSatisfying(Answer.Ready.class, r -> {
            assertThat(r.rank()).isZero();
            assertThat(r.masterAddress()).isEqualTo("10.0.0.1");
            assertThat(r.ranks()).isEqualTo(Map.of("job-a", 0, "job-b", 1, "job-c", 2));
        });
        assertThat(c).isInstanceOfSatisfying(Answer.Ready.class, r -> {
            assertThat(r.rank()).isEqualTo(2);
            assertThat(r.masterAddress()).isEqualTo("10.0.0.1");
        });
    }

    @Test
    void aCompletionIndexIsTheRankAndRankZeroIsTheMasterWhateverItsName() {
        List<Member> all = List.of(new Member("job-a", "10.0.0.1", "n1", 1), new Member("job-z", "10.0.0.9", "n2", 0));
        assertThat(Rendezvous.answer(2, all, "job-a")).isInstanceOfSatisfying(Answer.Ready.class, r -> {
            assertThat(r.rank()).isEqualTo(1);
            assertThat(r.masterAddress()).isEqualTo("10.0.0.9");
        });
    }

    @Test
    void aMemberBeyondTheAttemptsRanksIsRefusedBecauseTheProcessGroupHasFormed() {
        List<Member> all = List.of(pod("job-a", "10.0.0.1"), pod("job-b", "10.0.0.2"), pod("job-c", "10.0.0.3"));
        assertThat(Rendezvous.answer(2, all, "job-c")).isInstanceOfSatisfying(Answer.Refused.class,
                r -> assertThat(r.reason()).contains("already has its 2 ranks").contains("job-c"));
    }

    @Test
    void twoMembersClaimingOneRankAreRefused() {
        List<Member> all = List.of(new Member("job-a", "10.0.0.1", null, 0), new Member("job-b", "10.0.0.2", null, 0));
        assertThat(Rendezvous.answer(2, all, "job-b")).isInstanceOfSatisfying(Answer.Refused.class,
                r -> assertThat(r.reason()).isEqualTo("job-a and job-b both claim rank 0"));
    }

    @Test
    void theStartDeadlineNamesTheMissingRanksWhereRanksAreKnownInAdvance() {
        List<Member> some = List.of(new Member("job-x", "10.0.0.1", "node-1", 0),
                new Member("job-y", "10.0.0.2", "node-2", 2));
        assertThat(Rendezvous.missing(4, some)).isEqualTo(
                "ranks 1, 3 of 4 never registered (registered: rank 0 job-x on node-1, rank 2 job-y on node-2)");
    }

    @Test
    void theStartDeadlineCountsTheMissingRanksAndNamesThePodsThatCameWhereRanksAreAssignedAtTheRendezvous() {
        assertThat(Rendezvous.missing(2, List.of(pod("job-a", "10.0.0.1"))))
                .isEqualTo("1 rank of 2 never registered (registered: job-a on node-job-a)");
        assertThat(Rendezvous.missing(2, List.of())).isEqualTo("ranks 0, 1 of 2 never registered");
    }
}
