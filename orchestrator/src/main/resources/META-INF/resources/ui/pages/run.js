// One run: parameters, provenance, attempts, data and artifacts, a chart per metric key (live while it trains) and
// the tail of its output (followed while it runs).
import { api, live, artifactUrl } from '../api.js';
import { h, fill, alertBox } from '../dom.js';
import { fmtNum, fmtTime, fmtDuration, fmtValue, fmtBytes, fmtSeed, ACTIVE_STATES } from '../format.js';
import { LiveStream, every } from '../live.js';
import { runColor } from '../charts.js';
import { stateBadge } from '../components/progress.js';
import { RunsChart } from '../components/runsChart.js';

const LOG_TAIL = 1000;
const LOG_PAGE = 500;

export const PROVENANCE = [
  ['imageRef', 'image'], ['imageDigest', 'image digest'], ['configHash', 'config hash'],
  ['dataSnapshotId', 'data snapshot'], ['gitRepo', 'git repo'], ['gitCommit', 'git commit'], ['gitDirty', 'git dirty'],
  ['seed', 'seed'], ['nodeName', 'node'], ['agentVersion', 'agent version'],
];

// Why the early-termination rule stopped this run, in its own figures (RunView.earlyStop)
export function earlyStopBox(e) {
  const better = e.goal === 'maximize' ? 'at least' : 'at most';
  const where = e.rule === 'hyperband' ? `rung ${e.step}` : `step ${e.step}`;
  return h('div.panel.early-stop', { id: 'early-stop' },
    h('h2', 'Stopped early'),
    h('p', `The ${e.rule} rule stopped this run at ${where}: its value there was ${fmtNum(e.value)}, and it needed `
      + `${better} ${fmtNum(e.cutoff)} to go on. It ranked `
      + `${e.rank} of ${e.peers} runs compared (1 = best).`),
    factList([['rule', e.rule], [e.rule === 'hyperband' ? 'rung (step)' : 'step', String(e.step)],
      ['value', fmtNum(e.value)], ['cut-off', fmtNum(e.cutoff)], ['rank', `${e.rank} of ${e.peers}`],
      ['goal', e.goal]], 'early-stop'));
}

export async function render(root, [id]) {
  const runId = Number(id);
  let run = await api.run(runId);
  const sweep = await api.sweep(run.sweepId);
  const charts = new Map(); // key -> RunsChart
  const cleanups = [];
  let stream = null;

  const head = h('div');
  const facts = h('div.panel');
  const chartsBox = h('div.chart-grid');
  const systemBox = h('div.chart-grid');
  const summaryBox = h('div');
  const attemptsBox = h('div');
  const logs = h('pre.logs', { tabindex: 0, 'aria-label': 'Output of the run' });
  const follow = h('input', { type: 'checkbox', checked: true, id: 'follow-logs' });
  // a distributed trial's ranks each ship their own lines; rank 0's are the run's
  let logRank = 0;
  const rankSelect = h('select', { id: 'log-rank', 'aria-label': 'Rank whose output to show', hidden: !run.ranks,
    onchange: () => { logRank = Number(rankSelect.value); resetLogs(); loadLogs().catch(e => console.warn(e)); } },
  (run.ranks || [{ rank: 0 }]).map(r => h('option', { value: String(r.rank) }, 'rank ' + r.rank)));
  const logNote = h('span.small.muted');
  const liveDot = h('span.live-dot');
  const liveLabel = h('span.small.muted', 'connecting');
  const provenanceBox = h('div.provenance-record');
  const outputs = h('div.run-artifacts', h('span.small.muted', 'loading the outputs…'));
  const derivedBox = h('div.derived-runs');
  const rerunButton = h('button.button', { type: 'button', id: 'rerun', title: 'A new run pinned to this run\'s image '
    + 'digest, data snapshot, parameters and seed', onclick: rerun }, 'Re-run');
  fill(root,
    head,
    h('div.grid-2', facts, h('div', h('div.panel', h('h2', 'Data and artifacts'),
      h('div.artifacts', artifacts(run, outputs))),
      h('div.panel', h('h2', 'Attempts'), attemptsBox))),
    h('div.panel', h('details', { id: 'full-provenance' }, h('summary', h('h2.inline', 'Full provenance record')), provenanceBox)),
    h('div.panel', h('div.panel-head', h('h2', 'Metrics'), h('div.spacer'), liveDot, liveLabel), summaryBox,
      chartsBox, h('details', h('summary.muted', 'System metrics (CPU, memory, GPU)'), systemBox)),
    h('div.panel', h('div.panel-head', h('h2', 'Logs'), logNote, h('div.spacer'),
      rankSelect, h('label.small', follow, ' follow')), logs));

  function renderHead() {
    fill(head,
      h('div.crumbs', h('a', { href: '#/sweeps' }, 'Sweeps'), ' / ', h('a', { href: '#/sweeps/' + sweep.id },
        sweep.name), ' / run'),
      h('div.page-head', h('h1.run-title', h('span.swatch', { style: { background: runColor(runId) } }),
        `Run ${run.id}`), h('span.run-state', { dataset: { state: run.state } }, stateBadge(run.state)),
      h('span.muted', `trial ${run.index} of the sweep · attempt ${run.attempt}`),
        h('div.spacer'),
        rerunButton,
        h('a.button', { href: `#/sweeps/${sweep.id}` }, 'Back to the sweep')),
      derivedBox,
      run.message || run.failureCause ? alertBox(run.state === 'FAILED' || run.state === 'LOST' ? 'error' : 'ok',
        [run.failureCause, run.message].filter(Boolean).join(': ')) : null,
      run.earlyStop ? earlyStopBox(run.earlyStop) : null);
    fill(facts, h('h2', 'Parameters'), factList(Object.entries(run.parameters).map(([k, v]) => [k, fmtValue(v)]),
      'parameters'),
    h('h2', { style: { marginTop: '14px' } }, 'Provenance'),
    factList(PROVENANCE.map(([k, label]) => [label, k === 'seed' ? fmtSeed(run.provenance[k])
      : fmtValue(run.provenance[k])]), 'provenance'),
    run.provenance.rerunOf ? [h('h2', { style: { marginTop: '14px' } }, 'Origin'), h('p.rerun-of', 're-run of ',
      h('a', { href: '#/runs/' + run.provenance.rerunOf }, 'run ' + run.provenance.rerunOf))] : null,
    h('h2', { style: { marginTop: '14px' } }, 'Timing'),
    factList([['created', fmtTime(run.createdAt)], ['started', fmtTime(run.startedAt)],
      ['finished', fmtTime(run.finishedAt)], ['duration', fmtDuration(run.startedAt, run.finishedAt)],
      ['exit code', fmtValue(run.exitCode)], ['stop reason', fmtValue(run.stopReason)]], 'timing'),
    run.ranks ? [h('h2', { style: { marginTop: '14px' } }, 'Ranks'),
      factList(run.ranks.map(r => ['rank ' + r.rank, rankSummary(r)]), 'ranks')] : null);
  }

  // ---- metrics ---------------------------------------------------------------------------------------------
  async function loadMetrics() {
    let metrics;
    try {
      metrics = await api.runMetrics(runId);
    } catch (e) {
      fill(summaryBox, alertBox('error', 'Could not load the metrics: ', e.message));
      return;
    }
    const user = metrics.keys.filter(k => !k.key.startsWith('sys/'));
    const objective = sweep.metric && sweep.metric.name;
    user.sort((a, b) => (b.key === objective) - (a.key === objective) || a.key.localeCompare(b.key));
    fill(summaryBox, user.length ? h('table.data.metric-summary', h('thead', h('tr',
      ['key', 'points', 'last step', 'last', 'min', 'max'].map((t, i) => h(i ? 'th.num' : 'th', t)))),
    h('tbody', user.map(k => h('tr', { dataset: { key: k.key } }, h('td.mono', k.key + (k.key === objective ? ' ★' : '')),
      h('td.num', fmtNum(k.points)), h('td.num', fmtNum(k.lastStep)), h('td.num', fmtNum(k.last)),
      h('td.num', fmtNum(k.min)), h('td.num', fmtNum(k.max))))))
      : h('div.empty', 'No metrics reported yet.'));
    fill(attemptsBox, metrics.attempts.length ? h('div.scroll-x', h('table.data.attempts-table', h('thead', h('tr',
      ['attempt', 'host', 'pid', 'started', 'last heartbeat', 'CPU %', 'memory', 'GPUs', 'exit', 'stop reason']
        .map(t => h('th', t)))),
    h('tbody', metrics.attempts.map(a => h('tr', h('td', a.attempt), h('td', a.hostname || '—'), h('td', a.pid || '—'),
      h('td', fmtTime(a.startedAt)), h('td', fmtTime(a.lastHeartbeatAt)), h('td.num', fmtNum(a.cpuPercent)),
      h('td.num', fmtBytes(a.rssBytes)), h('td.num', fmtValue(a.gpuCount)), h('td.num', fmtValue(a.exitCode)),
      h('td', a.stopReason || '—'))))))
      : h('div.empty', 'No agent has reported for this run yet.'));
    const keys = [...user, ...metrics.keys.filter(k => k.key.startsWith('sys/'))].map(k => k.key);
    keys.forEach((key, i) => {
      if (charts.has(key)) return;
      const el = h('div.chart', { dataset: { key } });
      const card = h('div.chart-card', h('h3', key), el);
      const system = key.startsWith('sys/');
      (system ? systemBox : chartsBox).append(card);
      // system metrics are sampled in time, not in training steps: plotted against the clock, memory in bytes units
      const chart = new RunsChart(el, { key, x: system ? 'time' : 'step',
        bytes: system && /bytes|memory|rss/i.test(key),
        runs: [{ id: runId, label: 'run ' + run.id, color: runColor(runId), width: 1.5 }] });
      charts.set(key, chart);
      chart.load();
    });
  }

  function follow_() {
    if (stream) return;
    stream = new LiveStream(live.run(runId), {
      onPoints: update => {
        const unknown = update.points.some(p => !charts.has(p.key));
        charts.forEach(c => c.accept(update));
        if (unknown) loadMetrics();
      },
      onFinished: () => refresh(),
      onState: s => {
        liveDot.classList.toggle('open', s === 'open');
        liveLabel.textContent = s === 'open' ? 'live' : s;
      },
      onReconnect: () => charts.forEach(c => c.load()),
    });
  }

  // ---- logs ------------------------------------------------------------------------------------------------
  let logNext = null; // index of the next line to fetch, in the order the agent shipped them
  let logComplete = false;
  let logGen = 0; // a fetch begun for another rank's lines is dropped when it returns
  function resetLogs() {
    logGen++;
    logNext = null;
    logComplete = false;
    fill(logs);
    fill(logNote);
  }
  async function loadLogs() {
    if (logComplete) return;
    const gen = logGen;
    if (logNext === null) {
      let first;
      try {
        first = await api.logs(runId, { page: 0, size: 1, rank: logRank });
        if (gen !== logGen) return;
      } catch (e) {
        fill(logs, e.status === 404 ? 'No logs.' : 'Could not load the logs: ' + e.message);
        return;
      }
      logNext = Math.max(0, first.total - LOG_TAIL);
      if (logNext > 0) logs.append(h('span.muted', `… ${logNext.toLocaleString('en-US')} earlier lines\n`));
      if (first.total === 0 && !first.complete) fill(logNote, 'waiting for output');
    }
    for (;;) {
      const page = Math.floor(logNext / LOG_PAGE);
      const data = await api.logs(runId, { page, size: LOG_PAGE, rank: logRank });
      if (gen !== logGen) return;
      const fresh = data.items.slice(logNext - page * LOG_PAGE);
      const atBottom = logs.scrollHeight - logs.scrollTop - logs.clientHeight < 40;
      logs.append(...fresh.map(l => h('span' + (l.stream === 'stderr' ? '.stderr' : ''),
        h('span.lineno', String(l.line + 1)), l.text + '\n')));
      logNext += fresh.length;
      logs.dataset.lines = String(logNext);
      fill(logNote, `attempt ${data.attempt}${run.ranks ? ' · rank ' + data.rank : ''} · `
        + (data.total ? `${data.total.toLocaleString('en-US')} lines` : 'no output yet')
        + (data.complete ? ' · complete' : ACTIVE_STATES.includes(run.state) ? ' · following' : ''));
      logs.dataset.total = String(data.total);
      if ((follow.checked && atBottom) || fresh.length === logNext) logs.scrollTop = logs.scrollHeight;
      if (data.items.length < LOG_PAGE) {
        logComplete = data.complete && logNext >= data.total;
        return;
      }
    }
  }

  /**
   * Reloads the run, its attempts and its outputs together, so nothing on the page contradicts the rest: the header's
   * state, the timing, the attempts table and the files. Called on the stream's "finished" event, while the run is
   * active, and a few times after it ended (outputs are uploaded, and logs archived, just after an attempt ends).
   */
  async function refresh() {
    run = await api.run(runId);
    renderHead();
    await loadMetrics();
    loadOutputs(run, outputs);
    loadDerived(runId, run.sweepId, derivedBox);
    if (!ACTIVE_STATES.includes(run.state)) logComplete = false; // read the last lines and "complete"
  }

  async function rerun() {
    rerunButton.disabled = true;
    try {
      const created = await api.rerun(runId);
      location.hash = '#/runs/' + created.runId;
    } catch (e) {
      rerunButton.disabled = false;
      head.append(alertBox('error', 'Re-run refused: ' + e.message));
    }
  }

  renderHead();
  loadOutputs(run, outputs);
  loadDerived(runId, run.sweepId, derivedBox);
  loadProvenance(runId, provenanceBox);
  await loadMetrics();
  follow_();
  loadLogs().catch(e => console.warn(e));
  cleanups.push(every(2000, loadLogs));
  let settling = ACTIVE_STATES.includes(run.state) ? 6 : 0; // refreshes after the end, for late outputs
  cleanups.push(every(5000, async () => {
    if (!ACTIVE_STATES.includes(run.state) && settling-- <= 0) return;
    await refresh();
    if (stream && stream.state !== 'open') charts.forEach(c => c.load()); // no live stream: poll instead
  }));
  return () => {
    cleanups.forEach(f => f());
    if (stream) stream.close();
    charts.forEach(c => c.dispose());
  };
}

/** "EXITED 3 (FAILED) on pod-b · last heartbeat 20:01:02": one rank of a distributed trial, as its agent reported. */
function rankSummary(r) {
  return [r.state, r.exitCode == null ? null : String(r.exitCode), r.stopReason ? `(${r.stopReason})` : null,
    r.hostname ? 'on ' + r.hostname : null].filter(Boolean).join(' ')
    + ' · last heartbeat ' + (r.lastHeartbeatAt ? fmtTime(r.lastHeartbeatAt) : 'none')
    + (r.gpuModel ? ' · ' + r.gpuModel : '');
}

function factList(pairs, name) {
  return h('dl.facts', { dataset: { facts: name } }, pairs.map(([k, v]) => [h('dt', k), h('dd.mono', v)]));
}

function artifacts(run, outputs) {
  const snapshot = run.provenance.dataSnapshotId;
  const box = h('div');
  if (snapshot) {
    const detail = h('div.small.muted', 'loading…');
    box.append(h('dl.facts', h('dt', 'data snapshot'), h('dd.mono', snapshot)), detail);
    api.snapshot(snapshot).then(s => fill(detail,
      `${s.fileCount.toLocaleString('en-US')} files, ${fmtBytes(s.totalBytes)}`
        + (s.tags && s.tags.length ? ' · ' + s.tags.join(', ') : ''),
      (s.entries || []).length ? h('table.data.small', h('tbody', s.entries.slice(0, 8).map(e => h('tr',
        h('td.mono', e.path), h('td.num', fmtBytes(e.size)), h('td.mono.muted', e.sha256.slice(0, 12)))))) : null,
      (s.entries || []).length > 8 ? h('div', `… and ${s.entries.length - 8} more`) : null))
      .catch(e => fill(detail, 'details unavailable: ' + e.message));
  } else {
    box.append(h('div.muted', 'The run read no data snapshot.'));
  }
  box.append(h('h3', 'Outputs'), outputs);
  return box;
}

/** The run's output files and archived logs (GET /runs/{id}/artifacts), filled again on each refresh. */
function loadOutputs(run, outputs) {
  api.artifacts(run.id).then(a => fill(outputs,
    (a.files || []).length ? [
      h('div.small.muted', `attempt ${a.attempt}: ${a.fileCount.toLocaleString('en-US')} files, `
        + fmtBytes(a.totalBytes)),
      h('table.data.small', { dataset: { table: 'artifacts' } }, h('tbody', a.files.slice(0, 50).map(f => h('tr',
        h('td.mono', h('a', { href: artifactUrl(run.id, f.path, a.attempt), download: '' }, f.path)),
        h('td.num', fmtBytes(f.size)), h('td.mono.muted', f.sha256.slice(0, 12)))))),
      a.files.length > 50 ? h('div.small', `… and ${a.files.length - 50} more (reprise artifacts ${run.id})`) : null,
    ] : h('div.muted', 'No files in REPRISE_OUTPUT_DIR yet (they are uploaded when an attempt ends).'),
    (a.logs || []).length ? h('div.small', 'archived logs: ', a.logs.map((l, i) => [i ? ', ' : '',
      h('a', { href: l.href, download: `run-${run.id}-attempt-${l.attempt}.log.gz` },
        `run-${run.id}-attempt-${l.attempt}.log.gz`), ` (${l.lines.toLocaleString('en-US')} lines)`])) : null))
    .catch(e => fill(outputs, h('span.muted', e.status === 404 ? 'No outputs recorded.'
      : 'outputs unavailable: ' + e.message)));
}

/** Runs that re-run this one (GET /runs/{id}/reruns), linked from it: provenance links both ways. */
function loadDerived(runId, _sweepId, box) {
  api.reruns(runId).then(r => fill(box, (r.items || []).length ? h('div.small.reruns', 'Re-run as ',
    r.items.map((x, i) => [i ? ', ' : '', h('a', { href: '#/runs/' + x.runId, dataset: { runId: x.runId } },
      'run ' + x.runId)])) : null))
    .catch(e => console.warn('reruns', e));
}

/** The immutable record written when the run was created (GET /runs/{id}/provenance), filled as it starts. */
function loadProvenance(runId, box) {
  api.provenance(runId).then(p => {
    const pairs = [
      ['spec sha256', p.spec && p.spec.sha256], ['config hash', p.configHash],
      ['command', (p.command || []).join(' ')],
      ['image', p.image && p.image.ref], ['image digest', p.image && p.image.digest],
      ['pinned', p.image && p.image.pinned], ['executor', p.image && p.image.executor],
      ['runtime', p.image && p.image.runtime],
      ['data snapshot', p.data && p.data.snapshotId], ['mount path', p.data && p.data.mountPath],
      ['git', p.git && [p.git.repo, p.git.branch, p.git.commit].filter(Boolean).join(' ')],
      ['git dirty', p.git && p.git.dirty], ['seed', fmtSeed(p.seed)], ['agent version', p.agentVersion],
      ['node', p.nodeName], ['GPU model', p.gpuModel],
      ['re-run of', p.rerunOf && h('a', { href: '#/runs/' + p.rerunOf }, 'run ' + p.rerunOf)],
      ['cloned from', p.clonedFrom && h('a', { href: '#/sweeps/' + p.clonedFrom }, 'sweep ' + p.clonedFrom)],
      ['recorded', fmtTime(p.recordedAt)],
    ];
    const env = Object.entries(p.env || {});
    fill(box, factList(pairs.map(([k, v]) => [k, v instanceof Node ? v : fmtValue(v)]), 'provenance-record'),
      env.length ? [h('h3', 'Environment'), factList(env.map(([k, v]) => [k, v]), 'environment')] : null,
      p.spec && p.spec.text ? [h('h3', 'Submitted spec'), h('pre.spec-text', p.spec.text)] : null);
  }).catch(e => fill(box, h('div.muted', e.status === 404 ? 'No provenance record: this run was created before '
    + 'Reprise recorded them.' : 'provenance unavailable: ' + e.message)));
}
