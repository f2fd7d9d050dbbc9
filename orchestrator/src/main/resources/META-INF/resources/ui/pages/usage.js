// Usage: GPU-hours, CPU-hours and GPU energy summed by project, queue, user, sweep or run over a window, with
// preempted and failed attempts apart (GET /api/v1/usage). The window defaults to the current month (UTC).
import { api } from '../api.js';
import { h, fill, alertBox } from '../dom.js';
import { fmtNum } from '../format.js';
import { hours } from '../components/usagePanel.js';

const GROUPS = ['project', 'queue', 'user', 'sweep', 'run'];

function monthStart() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

export async function render(root, _params, query) {
  const form = {
    groupBy: query.get('groupBy') || 'project',
    project: query.get('project') || '',
    from: query.get('from') || monthStart(),
    to: query.get('to') || '',
  };
  const groupSelect = h('select', { name: 'groupBy', 'aria-label': 'Group by',
    onchange: e => { form.groupBy = e.target.value; load(); } },
  GROUPS.map(g => h('option', { value: g, selected: g === form.groupBy }, 'by ' + g)));
  const input = (name, label, type) => h('input', { name, type, value: form[name], 'aria-label': label,
    placeholder: label, onchange: e => { form[name] = e.target.value; load(); } });
  const body = h('div');
  fill(root,
    h('div.page-head', h('h1', 'Usage'), h('div.spacer'), input('project', 'project', 'text'),
      h('label.small.muted', 'from ', input('from', 'from', 'date')),
      h('label.small.muted', 'to ', input('to', 'to', 'date')), groupSelect),
    h('div.panel', body),
    h('p.small.muted', 'GPU-hours: nodes × GPUs × the wall time the executor observed, preempted and failed attempts '
      + 'included (and shown apart). CPU-hours: the CPU requested × that time. Energy: the agent\'s GPU power samples, '
      + 'integrated. Only the projects you can see are counted.'));

  async function load() {
    let report;
    try {
      report = await api.usage({ groupBy: form.groupBy, project: form.project || undefined,
        from: form.from || undefined, to: form.to || undefined });
    } catch (e) {
      fill(body, alertBox('error', 'Could not load the usage: ', e.message));
      return;
    }
    fill(body, report.items.length ? table(report) : h('div.empty', 'No attempt ran in this window.'));
  }

  await load();
  return () => {};
}

function link(groupBy, key) {
  if (groupBy === 'sweep') return h('a', { href: '#/sweeps/' + key }, 'sweep ' + key);
  if (groupBy === 'run') return h('a', { href: '#/runs/' + key }, 'run ' + key);
  return key;
}

function row(cells, attrs) {
  return h('tr', attrs || {}, cells.map((c, i) => h(i === 0 ? 'td' : 'td.num', c)));
}

function cells(key, line) {
  return [key, String(line.total.attempts), hours(line.total.gpuSeconds),
    hours(line.preempted.gpuSeconds), hours(line.failed.gpuSeconds), hours(line.total.cpuSeconds),
    fmtNum(line.total.energyWh / 1000, 3)];
}

function table(report) {
  return h('table.data.usage-table',
    h('thead', h('tr', [report.groupBy, 'Attempts', 'GPU-hours', 'Preempted', 'Failed', 'CPU-hours', 'Energy (kWh)']
      .map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', report.items.map(line => row(cells(link(report.groupBy, line.key), line),
      { dataset: { key: line.key, gpuSeconds: String(line.total.gpuSeconds) } }))),
    h('tfoot', row(cells(h('strong', 'Total'), report))));
}
