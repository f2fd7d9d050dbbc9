// Two or more runs side by side: which parameters and provenance differ, their metric summaries, and their curves
// overlaid (each series downsampled on the server to the chart's width).
import { api } from '../api.js';
import { h, fill, alertBox } from '../dom.js';
import { fmtNum, fmtValue } from '../format.js';
import { runColor } from '../charts.js';
import { stateBadge } from '../components/progress.js';
import { RunsChart } from '../components/runsChart.js';
import { PROVENANCE } from './run.js';

const MAX_CHARTS = 12;

export async function render(root, _params, query) {
  const ids = [...new Set((query.get('runs') || '').split(',').map(Number).filter(n => Number.isInteger(n) && n > 0))];
  if (ids.length < 2) {
    fill(root, alertBox('error', 'Pick at least two runs to compare: select them in a sweep\'s run table, or open ',
      h('code', '#/compare?runs=ID,ID')));
    return null;
  }
  const runs = await Promise.all(ids.map(id => api.run(id)));
  const sweeps = new Map();
  await Promise.all([...new Set(runs.map(r => r.sweepId))].map(async id => sweeps.set(id, await api.sweep(id))));
  const metrics = await Promise.all(ids.map(id => api.runMetrics(id).catch(() => ({ keys: [] }))));
  const colors = runs.map(r => runColor(r.id));
  const label = r => {
    const sweep = sweeps.get(r.sweepId);
    return (sweeps.size > 1 ? sweep.name + ' ' : '') + 'run ' + r.id;
  };
  const onlyDiff = h('input', { type: 'checkbox', id: 'only-differences', onchange: () => paintTables() });
  const tables = h('div');
  const chartsBox = h('div.chart-grid');
  const verdictBox = h('div');
  const charts = [];

  fill(root,
    h('div.crumbs', h('a', { href: '#/sweeps' }, 'Sweeps'), ' / ', [...sweeps.values()].map((s, i) =>
      [i ? ', ' : '', h('a', { href: '#/sweeps/' + s.id }, s.name)]), ' / compare'),
    h('div.page-head', h('h1', `Compare ${runs.length} runs`), h('div.spacer'),
      h('label.small', onlyDiff, ' only differences')),
    h('div.panel.compare-runs', h('div.stat-row', runs.map((r, i) => h('div.stat', { dataset: { runId: r.id } },
      h('div.label', h('span.swatch', { style: { background: colors[i] } }), sweeps.get(r.sweepId).name),
      h('div.value', h('a', { href: '#/runs/' + r.id }, 'run ' + r.id), ' ', stateBadge(r.state)))))),
    verdictBox,
    tables,
    h('div.panel', h('h2', 'Curves'), chartsBox));
  if (runs.length === 2) loadVerdict();

  /** Two runs: the server's verdict, within the default tolerances (GET /runs/{a}/compare/{b}). */
  async function loadVerdict() {
    try {
      const c = await api.compare(runs[0].id, runs[1].id);
      const reproduced = c.verdict === 'reproduced';
      fill(verdictBox, h('div.panel.verdict', { dataset: { verdict: c.verdict } },
        h('h2', reproduced ? 'Reproduced' : 'Diverged'),
        h('p', c.summary || ''),
        (c.differences || []).length ? h('p.small', 'Differences: ', h('span.mono', c.differences.join(', '))) : null));
    } catch (e) {
      fill(verdictBox, h('div.small.muted', 'no verdict: ' + e.message));
    }
  }

  function diffTable(title, name, rows) {
    const shown = rows.filter(row => !onlyDiff.checked || row.differs);
    return h('div.panel', h('h2', title, h('span.muted.small', ` ${rows.filter(r => r.differs).length} of `
      + `${rows.length} differ`)),
    h('table.data.diff-table', { dataset: { table: name } },
      h('thead', h('tr', h('th', ''), runs.map((r, i) => h('th', h('span.swatch', { style: { background: colors[i] } }),
        label(r))))),
      h('tbody', shown.map(row => h('tr' + (row.differs ? '.diff' : ''), { dataset: { field: row.name,
        differs: String(row.differs) } }, h('th', { scope: 'row' }, row.name), row.values.map(v => h('td.mono', v)))))));
  }

  function rowsOf(names, valueOf) {
    return names.map(name => {
      const values = runs.map((r, i) => valueOf(r, i, name));
      return { name, values, differs: new Set(values).size > 1 };
    });
  }

  function paintTables() {
    const paramNames = [...new Set(runs.flatMap(r => Object.keys(r.parameters)))];
    const provenance = rowsOf(PROVENANCE.map(p => p[1]), (r, _i, labelName) =>
      fmtValue(r.provenance[PROVENANCE.find(p => p[1] === labelName)[0]]));
    const keys = userKeys();
    const summary = rowsOf(keys, (_r, i, key) => {
      const k = metrics[i].keys.find(x => x.key === key);
      return k ? fmtNum(k.last) : '—';
    });
    fill(tables,
      h('div.grid-2', diffTable('Parameters', 'parameters', rowsOf(paramNames, (r, _i, n) => fmtValue(r.parameters[n]))),
        diffTable('Provenance', 'provenance', provenance)),
      diffTable('Metrics (last value)', 'metrics', summary));
  }

  function userKeys() {
    const all = new Set(metrics.flatMap(m => m.keys.map(k => k.key)).filter(k => !k.startsWith('sys/')));
    const objectives = new Set([...sweeps.values()].map(s => s.metric && s.metric.name).filter(Boolean));
    return [...all].sort((a, b) => objectives.has(b) - objectives.has(a) || a.localeCompare(b));
  }

  paintTables();
  const keys = userKeys().slice(0, MAX_CHARTS);
  if (!keys.length) chartsBox.append(h('div.empty', 'None of these runs reported metrics yet.'));
  for (const key of keys) {
    const el = h('div.chart.compare-chart', { dataset: { key } });
    chartsBox.append(h('div.chart-card', h('h3', key), el));
    const chart = new RunsChart(el, { key, runs: runs.map((r, i) => ({ id: r.id, label: label(r), color: colors[i],
      width: 1.8, reported: metrics[i].keys.some(k => k.key === key) })) });
    charts.push(chart);
    chart.load();
  }
  return () => charts.forEach(c => c.dispose());
}
