// The run table of a sweep: one row per run, parameters and metric summaries as columns. Sorting and paging happen on
// the server; a header click asks the owner for a new sort.
import { h } from '../dom.js';
import { fmtNum, fmtDuration, fmtTime, columnFormat } from '../format.js';
import { runColor } from '../charts.js';
import { stateBadge } from './progress.js';

/** The sort key of a column, as the table API takes it. */
export const sortKeys = {
  index: () => 'index',
  state: () => 'state',
  started: () => 'started',
  finished: () => 'finished',
  param: name => 'param:' + name,
  metric: key => 'metric:' + key,
};

/** The direction a first click on a column sorts in: the objective best first, everything else ascending. */
export function firstDirection(key, objective) {
  return objective && key === 'metric:' + objective.name && objective.goal === 'maximize' ? '-' : '';
}

export function runTable(table, { sort, selected, onSort, onSelect }) {
  const current = sort.replace(/^-/, '');
  const descending = sort.startsWith('-');
  const objective = table.objective;
  const header = (label, key, cls = '', title = undefined) => {
    const on = key === current;
    return h('th.sortable' + (cls ? '.' + cls : '') + (on ? '.sorted' : ''), {
      dataset: { sort: key }, title: title || 'Sort by ' + label, scope: 'col',
      'aria-sort': on ? (descending ? 'descending' : 'ascending') : 'none',
      onclick: () => onSort(on ? (descending ? key : '-' + key) : firstDirection(key, objective) + key),
    }, label, on ? h('span.arrow', descending ? '▼' : '▲') : null);
  };
  const isObjective = key => objective && key === objective.name;
  const head = h('tr',
    h('th', { scope: 'col' }, ''),
    header('run', sortKeys.index(), 'num', 'Sort by run (the order the sweep created them)'),
    header('state', sortKeys.state()),
    table.parameters.map(p => header(p, sortKeys.param(p), 'group-param')),
    table.metrics.map(m => header(m, sortKeys.metric(m), 'num.group-metric' + (isObjective(m) ? '.objective' : ''),
      isObjective(m) ? `Sort by ${m} (the objective, last value)` : `Sort by ${m} (last value)`)),
    header('started', sortKeys.started()),
    h('th', { scope: 'col' }, 'duration'));
  const paramFormat = Object.fromEntries(table.parameters.map(p => [p, columnFormat(table.items.map(r => r.parameters[p]))]));
  const metricFormat = Object.fromEntries(table.metrics.map(m => [m,
    columnFormat(table.items.map(r => r.metrics[m] && r.metrics[m].last))]));
  const rows = table.items.map(run => h('tr' + (run.best ? '.best' : ''), {
    dataset: { runId: run.id, index: run.index, state: run.state, best: run.best ? 'true' : null },
  },
  h('td', h('input', { type: 'checkbox', 'aria-label': 'Select run ' + run.id, checked: selected.has(run.id),
    onchange: e => onSelect(run.id, e.target.checked) })),
  h('td.num.run-cell', { title: `run ${run.id}, trial ${run.index} of the sweep` },
    h('span.swatch', { style: { background: runColor(run.id) }, dataset: { color: runColor(run.id) } }),
    h('a', { href: '#/runs/' + run.id }, String(run.id))),
  h('td', stateBadge(run.state), run.best ? [' ', h('span.badge.best', { title: 'Best objective value' }, '★ best')]
    : null),
  table.parameters.map(p => h('td', { dataset: { param: p } }, paramFormat[p](run.parameters[p]))),
  table.metrics.map(m => {
    const s = run.metrics[m];
    return h('td.num' + (isObjective(m) ? '.objective' : ''), {
      dataset: { metric: m, value: s ? String(s.last) : null },
      title: s ? `last ${fmtNum(s.last, 8)} at step ${s.lastStep} · min ${fmtNum(s.min)} · max ${fmtNum(s.max)} · `
        + `${s.points} points` : 'not reported',
    }, s ? metricFormat[m](s.last) : '—');
  }),
  h('td', fmtTime(run.startedAt)),
  h('td', fmtDuration(run.startedAt, run.finishedAt))));
  return h('table.data.run-table', h('thead', head), h('tbody', rows.length ? rows
    : h('tr', h('td.empty', { colspan: 5 + table.parameters.length + table.metrics.length }, 'No runs match.'))));
}
