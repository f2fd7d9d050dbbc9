// One sweep: its progress, live charts of chosen metrics across its leading runs, parameters against the objective
// in parallel coordinates, and the run table (sorted, filtered and paged on the server). Select runs to compare them.
import { api, live } from '../api.js';
import { h, fill, alertBox } from '../dom.js';
import { fmtNum, fmtAgo, fmtTime, RUN_STATES, TERMINAL_SWEEP } from '../format.js';
import { LiveStream, every } from '../live.js';
import { parallelChart, PALETTE, BEST_COLOR } from '../charts.js';
import { progressBar, stateBadge } from '../components/progress.js';
import { runTable } from '../components/runTable.js';
import { RunsChart } from '../components/runsChart.js';
import { usagePanel } from '../components/usagePanel.js';

const CHARTED_RUNS = 8;
const MAX_COMPARE = 8;

export async function render(root, [id], query) {
  const sweepId = Number(id);
  let sweep = await api.sweep(sweepId);
  const state = {
    sort: query.get('sort') || 'index',
    states: new Set((query.get('state') || '').split(',').filter(Boolean)),
    page: 0,
    size: 50,
    selected: new Map(), // run id -> index
    keys: [], // charted metric keys: the first in the main chart, the others below it
    table: null,
    savings: null, // what early stopping saved (GET /sweeps/{id}/early-stopping)
  };
  const cleanups = [];
  const charts = new Map(); // key -> RunsChart
  let stream = null;
  let chartedIds = '';
  let parallel = null;

  // ---- layout ----------------------------------------------------------------------------------------------
  const statusBadge = h('span');
  const compareButton = h('button.compare', { disabled: true, onclick: () => {
    location.hash = '#/compare?runs=' + [...state.selected.keys()].join(',');
  } }, 'Compare selected');
  const cancelButton = h('button.danger', { onclick: () => cancel() }, 'Cancel sweep');
  const pauseButton = h('button.pause', { onclick: () => pauseOrResume() }, 'Pause');
  const extendInput = h('input.extend-count', { type: 'number', min: '1', step: '1', name: 'extend-max-trials',
    'aria-label': 'New max_trials', title: 'Raise max_trials to this many trials', style: { width: '6em' } });
  const extendButton = h('button.extend', { onclick: () => extend(),
    title: 'Raise max_trials: more trials of the same search (reopens a sweep that ended)' }, 'Extend');
  const retryButton = h('button.retry', { onclick: () => retry(),
    title: 'Run the failed, lost and cancelled trials again in place: same parameters and seed, resuming from '
      + 'their checkpoints (reopens a sweep that ended)' }, 'Retry failed');
  const message = h('div');
  const stats = h('div.stat-row');
  const keySelect = h('select', { 'aria-label': 'Metric to chart', name: 'chart-metric',
    onchange: e => {
      state.keys = [e.target.value, ...state.keys.slice(1).filter(k => k !== e.target.value)];
      rebuildCharts(true);
    } });
  const addSelect = h('select', { 'aria-label': 'Add a chart', name: 'add-chart', onchange: e => {
    if (e.target.value && !state.keys.includes(e.target.value)) state.keys.push(e.target.value);
    e.target.value = '';
    rebuildCharts(true);
  } });
  const extraCharts = h('div.chart-grid.extra-charts');
  const liveDot = h('span.live-dot', { title: 'live updates' });
  const liveLabel = h('span.small.muted', 'connecting');
  const chartEl = h('div.chart.tall.sweep-chart', { dataset: { live: 'connecting' } });
  const chartNote = h('div.small.muted');
  const parallelEl = h('div.chart.tall.parallel-chart');
  const parallelNote = h('div.small.muted');
  const filters = h('div.form-row.state-filters');
  const tableBox = h('div.table-scroll');
  const pager = h('div.pager');
  const usage = usagePanel(sweepId);
  fill(root,
    h('div.crumbs', h('a', { href: '#/sweeps' }, 'Sweeps'), ' / ', sweep.project),
    h('div.page-head', h('h1.sweep-name', sweep.name), statusBadge, h('div.spacer'), compareButton, extendInput,
      extendButton, retryButton, pauseButton, cancelButton),
    message,
    stats,
    h('div.grid-2',
      h('div.panel', h('div.panel-head', h('h2', 'Metric'), keySelect, addSelect, h('div.spacer'), liveDot,
        liveLabel), chartEl, chartNote),
      h('div.panel', h('div.panel-head', h('h2', 'Parameters → objective'), h('div.spacer'),
        h('span.small.muted', 'drag along an axis to filter; click a line to open the run')), parallelEl,
      parallelNote)),
    extraCharts,
    usage.el,
    h('div.panel', h('div.panel-head', h('h2', 'Runs'), filters, h('div.spacer'),
      h('span.small.muted', 'click a column to sort; ★ marks the best run')), tableBox, pager),
    h('details.panel', h('summary', h('strong', 'Spec'), h('span.muted', ' as submitted')),
      h('pre.mono', { style: { whiteSpace: 'pre-wrap' } }, sweep.specText || '')));

  // ---- header and stats ------------------------------------------------------------------------------------
  function renderHead() {
    fill(statusBadge, stateBadge(sweep.status), sweep.paused ? [' ', h('span.badge.PREEMPTED', 'PAUSED')] : null);
    // the server says what the sweep may take now (SweepTransitions): no copy of its rules here
    const can = action => (sweep.actions || []).includes(action);
    cancelButton.classList.toggle('hidden', !can('cancel'));
    pauseButton.classList.toggle('hidden', !can('pause') && !can('resume'));
    extendInput.classList.toggle('hidden', !can('extend'));
    extendButton.classList.toggle('hidden', !can('extend'));
    retryButton.classList.toggle('hidden', !can('retry'));
    extendInput.placeholder = String(sweep.maxTrials + 1);
    pauseButton.textContent = sweep.paused ? 'Resume' : 'Pause';
    pauseButton.title = sweep.paused ? 'Start new trials again' : 'Start no new trials; running ones go on';
    const best = state.table && state.table.best;
    const objective = sweep.metric;
    fill(stats,
      stat('Objective', objective ? `${objective.name} ${objective.goal === 'maximize' ? '↑ max' : '↓ min'}` : 'none'),
      stat('Best so far', best ? h('span', h('span.best-value', { dataset: { value: String(best.value) } },
        fmtNum(best.value)), ' ', h('a.small', { href: '#/runs/' + best.runId }, 'run #' + best.index)) : '—'),
      stat('Progress', progressBar(sweep, { wide: true })),
      stat('Method', sweep.method),
      stat('Queue', `${sweep.queue} · ${sweep.parallelism} at a time`),
      stat('Created', h('span', { title: fmtTime(sweep.createdAt) }, `${fmtAgo(sweep.createdAt)} by ${sweep.createdBy}`)),
      state.savings && state.savings.rule ? stat('Early stopping', savingsText(state.savings)) : null);
  }

  async function loadSavings() {
    try {
      state.savings = await api.earlyStopping(sweepId);
    } catch (e) {
      state.savings = null; // the figures are a bonus: the page works without them
    }
    renderHead();
  }

  async function pauseOrResume() {
    pauseButton.disabled = true;
    try {
      sweep = { ...sweep, ...(await (sweep.paused ? api.resume(sweepId) : api.pause(sweepId))) };
      fill(message);
      renderHead();
    } catch (e) {
      fill(message, alertBox('error', 'Could not ' + (sweep.paused ? 'resume' : 'pause') + ': ', e.message));
    } finally {
      pauseButton.disabled = false;
    }
  }

  async function extend() {
    const maxTrials = Number(extendInput.value || extendInput.placeholder);
    if (!Number.isInteger(maxTrials) || maxTrials <= sweep.maxTrials) {
      fill(message, alertBox('error', 'Could not extend: ', `give a whole number above the current max_trials (${sweep.maxTrials})`));
      return;
    }
    extendButton.disabled = true;
    try {
      sweep = { ...sweep, ...(await api.extend(sweepId, maxTrials)) };
      extendInput.value = '';
      fill(message, alertBox('ok', `Extended to ${sweep.maxTrials} trials.`));
      renderHead();
      await loadTable();
    } catch (e) {
      const field = e.problem && e.problem.errors && e.problem.errors[0];
      fill(message, alertBox('error', 'Could not extend: ', field ? field.message : e.message));
    } finally {
      extendButton.disabled = false;
    }
  }

  async function retry() {
    retryButton.disabled = true;
    try {
      const done = await api.retry(sweepId, { failed: true });
      sweep = { ...sweep, ...done.sweep };
      fill(message, alertBox('ok', `Retried ${done.retried.length} run(s).`));
      renderHead();
      await loadTable();
    } catch (e) {
      const field = e.problem && e.problem.errors && e.problem.errors[0];
      fill(message, alertBox('error', 'Could not retry: ', field ? field.message : e.message));
    } finally {
      retryButton.disabled = false;
    }
  }

  async function cancel() {
    if (!cancelButton.classList.contains('confirm')) {
      cancelButton.classList.add('confirm');
      cancelButton.textContent = 'Confirm: cancel every queued and running trial';
      setTimeout(() => {
        cancelButton.classList.remove('confirm');
        cancelButton.textContent = 'Cancel sweep';
      }, 5000);
      return;
    }
    cancelButton.disabled = true;
    try {
      sweep = { ...sweep, ...(await api.cancel(sweepId)) };
      fill(message, alertBox('ok', 'Sweep cancelled.'));
      renderHead();
      await loadTable();
    } catch (e) {
      fill(message, alertBox('error', 'Could not cancel: ', e.message));
    } finally {
      cancelButton.disabled = false;
      cancelButton.classList.remove('confirm');
      cancelButton.textContent = 'Cancel sweep';
    }
  }

  // ---- run table -------------------------------------------------------------------------------------------
  function renderFilters() {
    const chip = (label, on, click) => h('button.chip' + (on ? '.on' : ''), { type: 'button', onclick: click,
      dataset: { filter: label }, 'aria-pressed': on ? 'true' : 'false' }, label);
    fill(filters, chip('ALL', state.states.size === 0, () => { state.states.clear(); state.page = 0; loadTable(); }),
      RUN_STATES.filter(s => s !== 'PREEMPTED' && s !== 'LAUNCHING').map(s => chip(s, state.states.has(s), () => {
        if (state.states.has(s)) state.states.delete(s); else state.states.add(s);
        state.page = 0;
        loadTable();
      })));
  }

  async function loadTable() {
    renderFilters();
    let table;
    try {
      table = await api.table(sweepId, { sort: state.sort, state: [...state.states], page: state.page,
        size: state.size });
    } catch (e) {
      fill(tableBox, alertBox('error', 'Could not load the runs: ', e.message));
      return;
    }
    state.table = table;
    loadSavings();
    const scroll = tableBox.scrollTop;
    fill(tableBox, runTable(table, {
      sort: state.sort,
      selected: new Set(state.selected.keys()),
      onSort: sort => { state.sort = sort; state.page = 0; loadTable(); },
      onSelect: (runId, on) => {
        const run = table.items.find(r => r.id === runId);
        if (on && state.selected.size < MAX_COMPARE) state.selected.set(runId, run.index);
        else state.selected.delete(runId);
        renderSelection();
        rebuildCharts(false);
      },
    }));
    tableBox.scrollTop = scroll;
    tableBox.dataset.sort = state.sort;
    const last = Math.max(0, Math.ceil(table.total / state.size) - 1);
    fill(pager, h('span.muted.table-range', table.total ? `${(state.page * state.size + 1).toLocaleString('en-US')}–`
      + `${Math.min(table.total, (state.page + 1) * state.size).toLocaleString('en-US')} of `
      + `${table.total.toLocaleString('en-US')} runs` : 'no runs'),
    h('div.spacer'),
    h('select', { 'aria-label': 'Rows per page', onchange: e => { state.size = Number(e.target.value); state.page = 0;
      loadTable(); } }, [25, 50, 100, 250].map(n => h('option', { value: n, selected: n === state.size }, n + ' / page'))),
    h('button', { disabled: state.page === 0, onclick: () => { state.page--; loadTable(); } }, '← Previous'),
    h('button', { disabled: state.page >= last, onclick: () => { state.page++; loadTable(); } }, 'Next →'));
    renderKeys(table);
    renderHead();
    rebuildCharts(false);
  }

  function renderSelection() {
    compareButton.disabled = state.selected.size < 2;
    compareButton.textContent = state.selected.size ? `Compare selected (${state.selected.size})` : 'Compare selected';
  }

  // ---- charts ----------------------------------------------------------------------------------------------
  function renderKeys(table) {
    const keys = table.metrics;
    if (!state.keys.length && keys.length) state.keys = [keys[0]];
    const label = k => k + (sweep.metric && k === sweep.metric.name ? ' (objective)' : '');
    const current = [...keySelect.options].map(o => o.value).join('\n');
    if (current !== keys.join('\n')) {
      fill(keySelect, keys.length ? keys.map(k => h('option', { value: k, selected: k === state.keys[0] }, label(k)))
        : h('option', { value: '' }, 'no metrics yet'));
    }
    fill(addSelect, h('option', { value: '' }, '+ chart'),
      keys.filter(k => !state.keys.includes(k)).map(k => h('option', { value: k }, label(k))));
    addSelect.classList.toggle('hidden', keys.length < 2);
  }

  /** The runs the charts show: the selected ones, or else the first rows of the table as sorted, and the best. */
  function chartedRuns() {
    const table = state.table;
    if (!table) return [];
    const bestId = table.best ? table.best.runId : null;
    const picked = state.selected.size
      ? [...state.selected].map(([runId, index]) => ({ id: runId, index }))
      : table.items.slice(0, CHARTED_RUNS).map(r => ({ id: r.id, index: r.index }));
    if (bestId != null && !state.selected.size && !picked.some(r => r.id === bestId)) {
      picked.push({ id: bestId, index: table.best.index });
    }
    return picked.map((r, i) => r.id === bestId
      ? { id: r.id, label: `#${r.index} ★`, color: BEST_COLOR, width: 3, z: 10 }
      : { id: r.id, label: '#' + r.index, color: PALETTE[i % PALETTE.length], width: 1.5, z: 2 });
  }

  function disposeCharts() {
    if (stream) stream.close();
    stream = null;
    charts.forEach(c => c.dispose());
    charts.clear();
    fill(extraCharts);
  }

  /** (Re)creates the charts and their one live stream when the charted keys or runs changed (or when forced). */
  function rebuildCharts(force) {
    if (!state.keys.length) {
      fill(chartNote, 'No metric reported yet: the chart starts when the first points arrive.');
    }
    const runs = chartedRuns();
    const ids = state.keys.join('\n') + '|' + runs.map(r => r.id).join(',');
    if (!force && ids === chartedIds) return;
    chartedIds = ids;
    disposeCharts();
    if (!state.keys.length || !runs.length) return;
    state.keys.forEach((key, i) => {
      let el = chartEl;
      if (i > 0) {
        el = h('div.chart.sweep-chart-extra', { dataset: { live: 'connecting' } });
        extraCharts.append(h('div.chart-card', h('div.panel-head', h('h3', key), h('div.spacer'),
          h('button.chip', { type: 'button', title: 'Remove this chart', onclick: () => {
            state.keys = state.keys.filter(k => k !== key);
            rebuildCharts(true);
          } }, '×')), el));
      }
      charts.set(key, new RunsChart(el, { key, runs }));
    });
    fill(chartNote, (state.selected.size ? `the ${runs.length} selected runs`
      : `the first ${runs.length} runs of the table as sorted, and the best run`)
      + '; each series is downsampled on the server to the chart\'s width');
    charts.forEach(c => c.load());
    const els = () => [chartEl, ...extraCharts.querySelectorAll('.chart')];
    stream = new LiveStream(live.sweep(sweepId, runs.map(r => r.id), state.keys), {
      onPoints: update => charts.forEach(c => c.accept(update)),
      onState: st => {
        liveDot.classList.toggle('open', st === 'open');
        liveLabel.textContent = st === 'open' ? 'live' : st;
        els().forEach(el => { el.dataset.live = st; });
      },
      onReconnect: () => charts.forEach(c => c.load()),
    });
  }

  // ---- parallel coordinates --------------------------------------------------------------------------------
  async function loadParallel() {
    const metric = sweep.metric ? sweep.metric.name : state.keys[0];
    if (!metric) {
      fill(parallelNote, 'The sweep has no objective and no run reported a metric yet.');
      return;
    }
    let coordinates;
    try {
      coordinates = await api.coordinates(sweepId, { metric, limit: 1000 });
    } catch (e) {
      fill(parallelNote, 'Could not load the plot: ' + e.message);
      return;
    }
    if (parallel) parallel.dispose();
    parallel = parallelChart(parallelEl, {
      coordinates,
      specParameters: sweep.spec && sweep.spec.parameters,
      bestRunId: state.table && state.table.best ? state.table.best.runId : null,
      onPick: runId => { location.hash = '#/runs/' + runId; },
    });
    fill(parallelNote, coordinates.items.length
      ? `${coordinates.items.length} runs that reported ${metric} (best ${coordinates.items.length >= 1000
        ? '1,000' : 'first'}); the best run in gold`
      : `No run has reported ${metric} yet.`);
  }

  // ---- start and refresh -----------------------------------------------------------------------------------
  renderHead();
  renderSelection();
  await loadTable();
  await loadParallel();
  await usage.refresh(sweep);
  let tick = 0;
  cleanups.push(every(5000, async () => {
    if (TERMINAL_SWEEP.includes(sweep.status) && tick++ % 6 !== 0) return; // ended: refresh rarely
    sweep = { ...sweep, ...(await api.sweep(sweepId)) };
    await loadTable();
    if (!stream || stream.state !== 'open') charts.forEach(c => c.load()); // no live stream: poll instead
    if (tick++ % 3 === 0) {
      await loadParallel();
      await usage.refresh(sweep);
    }
  }));
  return () => {
    cleanups.forEach(f => f());
    disposeCharts();
    if (parallel) parallel.dispose();
    usage.dispose();
  };
}

// "2 stopped · 32 of 36 steps not trained (89%) · ≈ 1.2 GPU-h saved": steps against the rule's max_iter (or the
// longest completed trial), GPU-hours estimated at each stopped trial's own rate
export function savingsText(s) {
  const parts = [`${s.stoppedRuns} stopped`];
  if (s.stoppedRuns > 0 && s.stepsNotTrained != null && s.maxSteps) {
    const all = s.stoppedRuns * s.maxSteps;
    parts.push(`${s.stepsNotTrained} of ${all} steps not trained (${Math.round(100 * s.stepsNotTrained / all)}%)`);
  }
  if (s.gpuSecondsSaved != null) parts.push(`≈ ${fmtNum(s.gpuSecondsSaved / 3600, 3)} GPU-h saved`);
  return h('span.early-stopping-savings', { title: `max ${s.maxSteps ?? '?'} steps (${s.maxStepsFrom || 'unknown'}); `
    + `stopped trials trained ${s.stepsTrained} steps` + (s.gpuSecondsUsed != null
      ? ` on ${fmtNum(s.gpuSecondsUsed / 3600, 3)} GPU-h` : '') }, parts.join(' · '));
}

function stat(label, value) {
  return h('div.stat', h('div.label', label), h('div.value', value));
}
