// One sweep: its progress, live charts of chosen metrics across its leading runs, parameters against the objective
// in parallel coordinates, and the run table (sorted, filtered and paged on the server). Select runs to compare them.
import { api, live } from '../api.js';
import { h, fill, alertBox } from '../dom.js';
import { fmtNum, fmtAgo, fmtTime, RUN_STATES, TERMINAL_SWEEP } from '../format.js';
import { LiveStream, every } from '../live.js';
import { parallelChart, runColor, download } from '../charts.js';
import { progressBar, stateBadge } from '../components/progress.js';
import { runTable } from '../components/runTable.js';
import { RunsChart } from '../components/runsChart.js';
import { usagePanel } from '../components/usagePanel.js';

const CHARTED_RUNS = 8;
const MAX_COMPARE = 8;

export async function render(root, [id], query) {
  const sweepId = Number(id);
  let sweep = await api.sweep(sweepId);
  // the view is in the URL (sort, state filter, page, page size, selection, chart options): a link shares it
  const state = {
    sort: query.get('sort') || 'index',
    states: new Set((query.get('state') || '').split(',').filter(Boolean)),
    page: Math.max(0, Number(query.get('page')) || 0),
    size: [25, 50, 100, 250].includes(Number(query.get('size'))) ? Number(query.get('size')) : 50,
    selected: new Set((query.get('selected') || '').split(',').map(Number).filter(n => Number.isInteger(n) && n > 0)
      .slice(0, MAX_COMPARE)),
    brushed: null, // run ids inside the parallel-coordinates brush, or null
    x: ['step', 'time', 'relative'].includes(query.get('x')) ? query.get('x') : 'step',
    logY: query.get('logy') === '1',
    smooth: Math.min(1, Math.max(0, Number(query.get('smooth')) || 0)),
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
    location.hash = '#/compare?runs=' + [...state.selected].join(',');
  } }, 'Compare selected');
  const cancelButton = h('button.danger', { onclick: () => cancel() }, 'Cancel sweep');
  const pauseButton = h('button.pause', { onclick: () => pauseOrResume() }, 'Pause');
  const extendInput = h('input.extend-count', { type: 'number', min: '1', step: '1', name: 'extend-max-trials',
    id: 'extend-max-trials', title: 'Raise max_trials to this many trials', style: { width: '6em' } });
  const extendLabel = h('label.small.extend-label', { for: 'extend-max-trials' }, 'max_trials');
  const extendButton = h('button.extend', { onclick: () => extend(),
    title: 'Raise max_trials: more trials of the same search (reopens a sweep that ended)' }, 'Extend');
  const retryButton = h('button.retry', { onclick: () => retry(),
    title: 'Run the failed, lost and cancelled trials again in place: same parameters and seed, resuming from '
      + 'their checkpoints (reopens a sweep that ended)' }, 'Retry failed');
  const message = h('div');
  const derivedBox = h('div.small.sweep-derived');
  const xSelect = h('select', { 'aria-label': 'x axis', name: 'chart-x', onchange: e => {
    state.x = e.target.value; applyChartOptions(); } },
  [['step', 'x: step'], ['time', 'x: time'], ['relative', 'x: relative time']].map(([v, t]) =>
    h('option', { value: v, selected: v === state.x }, t)));
  const logYBox = h('input', { type: 'checkbox', name: 'chart-log-y', checked: state.logY, onchange: e => {
    state.logY = e.target.checked; applyChartOptions(); } });
  const smoothInput = h('input', { type: 'range', min: '0', max: '1', step: '0.1', value: String(state.smooth),
    name: 'chart-smooth', 'aria-label': 'Smoothing', style: { width: '5em' }, onchange: e => {
      state.smooth = Number(e.target.value); applyChartOptions(); } });
  const chartControls = h('div.form-row.chart-controls.small', xSelect, h('label', logYBox, ' log y'),
    h('label', 'smooth ', smoothInput));
  const exportButton = h('button.export-csv', { type: 'button', onclick: () => exportCsv(),
    title: 'Download the table as CSV: every page, as sorted and filtered' }, 'Export CSV');
  const brushNote = h('div.small.brush-note');
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
  const importanceBox = h('div.small.importance');
  const filters = h('div.form-row.state-filters');
  const tableBox = h('div.table-scroll');
  const pager = h('div.pager');
  const usage = usagePanel(sweepId);
  fill(root,
    h('div.crumbs', h('a', { href: '#/sweeps' }, 'Sweeps'), ' / ', sweep.project),
    h('div.page-head', h('h1.sweep-name', sweep.name), statusBadge, h('div.spacer'), compareButton, extendLabel,
      extendInput, extendButton, retryButton, pauseButton, cancelButton),
    message,
    derivedBox,
    stats,
    h('div.grid-2',
      h('div.panel', h('div.panel-head', h('h2', 'Metric'), keySelect, addSelect, h('div.spacer'), liveDot,
        liveLabel), chartControls, chartEl, chartNote),
      h('div.panel', h('div.panel-head', h('h2', 'Parameters → objective'), h('div.spacer'),
        h('span.small.muted', 'drag along an axis to filter; click a line to open the run')), parallelEl,
      parallelNote, importanceBox)),
    extraCharts,
    usage.el,
    h('div.panel', h('div.panel-head', h('h2', 'Runs'), filters, h('div.spacer'),
      h('span.small.muted', 'click a column to sort; ★ marks the best run'), exportButton), brushNote, tableBox, pager),
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
    extendLabel.classList.toggle('hidden', !can('extend'));
    extendButton.classList.toggle('hidden', !can('extend'));
    retryButton.classList.toggle('hidden', !can('retry'));
    extendInput.title = `Raise max_trials (now ${sweep.maxTrials}) to this many trials`;
    pauseButton.textContent = sweep.paused ? 'Resume' : 'Pause';
    pauseButton.title = sweep.paused ? 'Start new trials again' : 'Start no new trials; running ones go on';
    const best = state.table && state.table.best;
    const objective = sweep.metric;
    fill(stats,
      stat('Objective', objective ? `${objective.name} ${objective.goal === 'maximize' ? '↑ max' : '↓ min'}` : 'none'),
      stat('Best so far', best ? h('span', h('span.best-value', { dataset: { value: String(best.value) } },
        fmtNum(best.value)), ' ', h('a.small', { href: '#/runs/' + best.runId }, 'run ' + best.runId)) : '—'),
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
    const maxTrials = Number(extendInput.value);
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

  /** Writes the view into the URL without reloading the page (no hashchange: replaceState). */
  function saveView() {
    const q = new URLSearchParams();
    if (state.sort !== 'index') q.set('sort', state.sort);
    if (state.states.size) q.set('state', [...state.states].join(','));
    if (state.page) q.set('page', String(state.page));
    if (state.size !== 50) q.set('size', String(state.size));
    if (state.selected.size) q.set('selected', [...state.selected].join(','));
    if (state.x !== 'step') q.set('x', state.x);
    if (state.logY) q.set('logy', '1');
    if (state.smooth) q.set('smooth', String(state.smooth));
    const text = q.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
    history.replaceState(history.state, '', '#/sweeps/' + sweepId + (text ? '?' + text : ''));
  }

  /** A page of the table; while the parallel plot is brushed, the runs inside the brush (up to 500, one page). */
  async function fetchTable() {
    if (!state.brushed) {
      return api.table(sweepId, { sort: state.sort, state: [...state.states], page: state.page, size: state.size });
    }
    const all = await api.table(sweepId, { sort: state.sort, state: [...state.states], page: 0, size: 500 });
    const items = all.items.filter(r => state.brushed.has(r.id));
    return { ...all, items, total: items.length, page: 0 };
  }

  async function loadTable() {
    renderFilters();
    saveView();
    let table;
    try {
      table = await fetchTable();
    } catch (e) {
      fill(tableBox, alertBox('error', 'Could not load the runs: ', e.message));
      return;
    }
    state.table = table;
    fill(brushNote, state.brushed ? [`Showing the ${state.brushed.size} runs inside the brushed ranges of the `
      + 'parallel coordinates. ', h('a', { href: '', onclick: e => { e.preventDefault(); clearBrush(); } },
      'Show all runs')] : null);
    loadSavings();
    const scroll = tableBox.scrollTop;
    fill(tableBox, runTable(table, {
      sort: state.sort,
      selected: state.selected,
      onSort: sort => { state.sort = sort; state.page = 0; loadTable(); },
      onSelect: (runId, on) => {
        if (on && state.selected.size < MAX_COMPARE) state.selected.add(runId);
        else state.selected.delete(runId);
        renderSelection();
        saveView();
        rebuildCharts(false);
      },
    }));
    tableBox.scrollTop = scroll;
    tableBox.dataset.sort = state.sort;
    const page = state.brushed ? 0 : state.page;
    const size = state.brushed ? Math.max(1, table.total) : state.size;
    const last = Math.max(0, Math.ceil(table.total / size) - 1);
    fill(pager, h('span.muted.table-range', { dataset: { total: String(table.total) } }, table.total
      ? `${(page * size + 1).toLocaleString('en-US')}–`
      + `${Math.min(table.total, (page + 1) * size).toLocaleString('en-US')} of `
      + `${table.total.toLocaleString('en-US')} runs` : 'no runs'),
    h('div.spacer'),
    h('select', { 'aria-label': 'Rows per page', onchange: e => { state.size = Number(e.target.value); state.page = 0;
      loadTable(); } }, [25, 50, 100, 250].map(n => h('option', { value: n, selected: n === state.size }, n + ' / page'))),
    h('button.previous', { disabled: page === 0, onclick: () => { state.page--; loadTable(); } }, '← Previous'),
    h('button.next', { disabled: page >= last, onclick: () => { state.page++; loadTable(); } }, 'Next →'));
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

  /**
   * The runs the charts show: the selected ones, or else the first rows of the table as sorted, and the best. Each
   * keeps its own colour (from its id) whatever its row; the best is drawn thicker and marked ★.
   */
  function chartedRuns() {
    const table = state.table;
    if (!table) return [];
    const bestId = table.best ? table.best.runId : null;
    const picked = state.selected.size ? [...state.selected]
      : table.items.slice(0, CHARTED_RUNS).map(r => r.id);
    if (bestId != null && !state.selected.size && !picked.includes(bestId)) picked.push(bestId);
    const rows = new Map(table.items.map(r => [r.id, r]));
    return picked.map(id => ({ id, label: 'run ' + id + (id === bestId ? ' ★' : ''), color: runColor(id),
      width: id === bestId ? 3 : 1.5, z: id === bestId ? 10 : 2,
      keys: rows.has(id) ? new Set(Object.keys(rows.get(id).metrics || {})) : null }));
  }

  function applyChartOptions() {
    saveView();
    charts.forEach(c => c.configure({ x: state.x, logY: state.logY, smooth: state.smooth }));
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
      charts.set(key, new RunsChart(el, { key, x: state.x, logY: state.logY, smooth: state.smooth,
        runs: runs.map(r => ({ ...r, reported: r.keys ? r.keys.has(key) : undefined })) }));
    });
    fill(chartNote, (state.selected.size ? `the ${runs.length} selected runs`
      : `the first ${runs.length} runs of the table as sorted, and the best run`)
      + '; each series is downsampled on the server to the chart\'s width');
    charts.forEach(c => c.load());
    const els = () => [chartEl, ...extraCharts.querySelectorAll('.chart')];
    stream = new LiveStream(live.sweep(sweepId, runs.map(r => r.id), state.keys), {
      onPoints: update => charts.forEach(c => c.accept(update)),
      onState: st => {
        renderLive(st);
        els().forEach(el => { el.dataset.live = st; });
      },
      onReconnect: () => charts.forEach(c => c.load()),
    });
  }

  /** "live" only while the sweep can still change; a final sweep says so. */
  function renderLive(st = stream ? stream.state : 'closed') {
    const final = TERMINAL_SWEEP.includes(sweep.status);
    liveDot.classList.toggle('open', st === 'open' && !final);
    liveDot.classList.toggle('final', final);
    liveLabel.textContent = final ? 'final' : st === 'open' ? 'live' : st;
    liveDot.title = final ? 'the sweep has ended: nothing more will arrive' : 'live updates';
  }

  function clearBrush() {
    state.brushed = null;
    loadParallel();
    loadTable();
  }

  /** Every row of the table as sorted and filtered (all pages), as CSV: what Export CSV downloads. */
  async function exportCsv() {
    exportButton.disabled = true;
    try {
      const first = await api.table(sweepId, { sort: state.sort, state: [...state.states], page: 0, size: 500 });
      let items = first.items;
      for (let page = 1; page * 500 < first.total; page++) {
        items = items.concat((await api.table(sweepId, { sort: state.sort, state: [...state.states], page,
          size: 500 })).items);
      }
      if (state.brushed) items = items.filter(r => state.brushed.has(r.id));
      const quote = v => {
        const text = v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
      };
      const header = ['run', 'trial', 'state', ...first.parameters, ...first.metrics, 'best', 'started', 'finished'];
      const lines = [header.map(quote).join(',')].concat(items.map(r => [r.id, r.index, r.state,
        ...first.parameters.map(p => r.parameters[p]),
        ...first.metrics.map(m => (r.metrics[m] ? r.metrics[m].last : null)),
        r.best ? 'true' : 'false', r.startedAt, r.finishedAt].map(quote).join(',')));
      download(sweep.name.replace(/[^\w.-]+/g, '_') + '-runs.csv', lines.join('\n') + '\n');
    } catch (e) {
      fill(message, alertBox('error', 'Could not export: ', e.message));
    } finally {
      exportButton.disabled = false;
    }
  }

  /** Each parameter's share of the objective's variance, computed on the server (its method in the tooltip). */
  async function loadImportance(metric) {
    try {
      const r = await api.importance(sweepId, { metric });
      fill(importanceBox, r.runs >= 3 && r.parameters.length ? [h('span', { title: r.method }, 'Importance: '),
        r.parameters.map((p, i) => [i ? ' · ' : '', h('span', { dataset: { parameter: p.parameter,
          importance: String(p.importance) } }, `${p.parameter} ${fmtNum(p.importance, 2)}`)])] : null);
    } catch (e) {
      fill(importanceBox);
    }
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
      onBrush: ids => {
        state.brushed = ids;
        loadTable();
      },
    });
    parallelEl.reprise = parallel; // lets a test brush a range the way a drag does
    loadImportance(metric);
    fill(parallelNote, coordinates.items.length
      ? `${coordinates.items.length} runs that reported ${metric} (best ${coordinates.items.length >= 1000
        ? '1,000' : 'first'}); the best run in gold`
      : `No run has reported ${metric} yet.`);
  }

  /** Re-runs of this sweep's runs and sweeps cloned from it, linked (their own pages link back here). */
  async function loadDerived() {
    try {
      const d = await api.derived(sweepId);
      fill(derivedBox, d.reruns.length ? h('div.reruns', 'Re-runs: ', d.reruns.map((r, i) => [i ? ', ' : '',
        h('a', { href: '#/runs/' + r.runId, dataset: { runId: r.runId } }, `run ${r.runId}`),
        h('span.muted', ` (of run ${r.rerunOf})`)])) : null,
      d.clones.length ? h('div.clones', 'Clones: ', d.clones.map((c, i) => [i ? ', ' : '',
        h('a', { href: '#/sweeps/' + c.sweepId }, c.name)])) : null,
      sweep.clonedFrom ? h('div', 'Cloned from ', h('a', { href: '#/sweeps/' + sweep.clonedFrom },
        'sweep ' + sweep.clonedFrom)) : null);
    } catch (e) {
      console.warn('derived', e);
    }
  }

  // ---- start and refresh -----------------------------------------------------------------------------------
  renderHead();
  renderLive();
  loadDerived();
  renderSelection();
  await loadTable();
  await loadParallel();
  await usage.refresh(sweep);
  let tick = 0;
  cleanups.push(every(5000, async () => {
    if (TERMINAL_SWEEP.includes(sweep.status) && tick++ % 6 !== 0) return; // ended: refresh rarely
    sweep = { ...sweep, ...(await api.sweep(sweepId)) };
    renderLive();
    await loadTable();
    if (!stream || stream.state !== 'open') charts.forEach(c => c.load()); // no live stream: poll instead
    if (tick++ % 3 === 0 && !state.brushed) {
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
