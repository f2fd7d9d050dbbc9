package dev.reprise.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReproViewsTest {

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void provenanceShowsImageDataGitAndRedactedEnvironment() throws Exception {
        String text = ProvenanceViews.detail(json("{'runId':7,'sweepId':3,'sweepName':'digits','project':'ex',"
                + "'recordedAt':'2026-11-26T18:00:00Z','spec':{'text':'name: digits','format':'yaml','sha256':'ab'},"
                + "'configHash':'cd','parameters':{'lr':0.1},'command':['java','T.java','--lr=0.1'],"
                + "'env':{'MODE':'fast','HF_TOKEN':'[redacted]'},'image':{'ref':'img:1','digest':null,"
                + "'pinned':'img:1','executor':'local','runtime':'local process on h'},"
                + "'data':{'snapshotId':'sha256:ee','mountPath':'/data'},'git':{'repo':'r','commit':'abc1234',"
                + "'branch':'main','dirty':true},'seed':42,'agentVersion':null,'nodeName':'local:h','gpuModel':null,"
                + "'rerunOf':5,'clonedFrom':null}"));

        assertThat(text).contains("Sweep:", "digits (3, project ex)", "Runtime:  local process on h",
                "sha256:ee at /data", "r abc1234 (main), dirty", "Re-run of:", "HF_TOKEN: [redacted]",
                "java T.java --lr=0.1").doesNotContain("Cloned from");
    }

    @Test
    void comparisonShowsTheVerdictDifferencesAndMetrics() throws Exception {
        String text = CompareViews.detail(json("{'a':1,'b':2,'verdict':'diverged','tolerance':{'rtol':1e-5,"
                + "'atol':1e-8},'differences':['data.snapshotId','metrics.loss'],'summary':'diverged: loss differs',"
                + "'provenance':[{'field':'data.snapshotId','a':'sha256:aa','b':'sha256:bb'}],'parameters':[],"
                + "'outcome':[],'metrics':[{'key':'loss','stepsA':3,'stepsB':3,'commonSteps':3,'maxAbsDiff':0.1,"
                + "'maxRelDiff':0.2,'maxDiffStep':2,'finalA':0.25,'finalB':0.3,'finalDelta':0.05,"
                + "'withinTolerance':false}]}"));

        assertThat(text).startsWith("Run 1 vs run 2: DIVERGED").contains("data.snapshotId", "sha256:bb", "3/3/3",
                "NO");
    }

    @Test
    void artifactListingShowsFilesAndArchivedLogsOrSaysThereAreNone() throws Exception {
        assertThat(ArtifactViews.listing(json("{'runId':9,'attempt':null,'files':[],'logs':[]}")))
                .isEqualTo("Run 9 has no artifacts.");
        String text = ArtifactViews.listing(json("{'runId':9,'attempt':0,'manifestId':'sha256:ff','fileCount':1,"
                + "'totalBytes':31,'files':[{'path':'summary.json','size':31,'sha256':'44136fa355b3ffff',"
                + "'mode':420}],'logs':[{'attempt':0,'lines':12,'bytes':200,'archivedAt':'2026-11-26T18:00:00Z',"
                + "'href':'/x'}]}"));
        assertThat(text).contains("Run 9 attempt 0: 1 file(s)", "summary.json", "44136fa355b3", "Archived logs");
    }
}
