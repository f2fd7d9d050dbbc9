// The sweeps list: status, progress, best value so far, created, owner. Refreshed every 5 seconds.
import { api } from '../api.js';
import { h, fill, alertBox } from '../dom.js';
import { fmtNum, fmtAgo, fmtTime } from '../format.js';
import { every } from '../live.js';
import { progressBar, stateBadge } from '../components/progress.js';

const STATUSES = ['', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const SIZE = 25;

export async function render(root, _params, query) {
  let page = Number(query.get('page') || 0);
  let status = query.get('status') || '';
  let project = query.get('project') || '';
  const statusSelect = h('select', { 'aria-label': 'Filter by status', name: 'status',
    onchange: e => { status = e.target.value; page = 0; load(); } },
  STATUSES.map(s => h('option', { value: s, selected: s === status }, s || 'all statuses')));
  const body = h('div');
  const pager = h('div.pager');
  fill(root,
    h('div.page-head', h('h1', 'Sweeps'), projectChip(), h('div.spacer'), statusSelect,
      h('a.button.primary', { href: '#/new' }, 'New sweep')),
    h('div.panel', body, pager));

  function projectChip() {
    return project ? h('button.chip.on', { type: 'button', title: 'Show every project',
      onclick: e => { project = ''; e.target.remove(); page = 0; load(); } }, 'project: ' + project + ' ×') : null;
  }

  async function load() {
    let data;
    try {
      data = await api.sweeps({ status, project, page, size: SIZE });
    } catch (e) {
      fill(body, alertBox('error', 'Could not load the sweeps: ', e.message));
      return;
    }
    fill(body, data.items.length ? table(data.items) : h('div.empty', 'No sweeps yet. ',
      h('a', { href: '#/new' }, 'Submit one'), ' or run ', h('code', 'reprise submit FILE'), '.'));
    const last = Math.max(0, Math.ceil(data.total / SIZE) - 1);
    fill(pager, h('span.muted', data.total ? `${page * SIZE + 1}–${Math.min(data.total, (page + 1) * SIZE)} of `
      + `${data.total.toLocaleString('en-US')}` : ''), h('div.spacer'),
    h('button', { disabled: page === 0, onclick: () => { page--; load(); } }, '← Newer'),
    h('button', { disabled: page >= last, onclick: () => { page++; load(); } }, 'Older →'));
  }

  await load();
  return every(5000, load);
}

function table(items) {
  return h('table.data.sweeps-table',
    h('thead', h('tr', ['Sweep', 'Project', 'Status', 'Progress', 'Best so far', 'Method', 'Created', 'Owner']
      .map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', items.map(({ sweep, best }) => h('tr', { dataset: { sweepId: sweep.id, name: sweep.name } },
      h('td', h('a', { href: '#/sweeps/' + sweep.id }, sweep.name)),
      h('td.muted', sweep.project),
      h('td', stateBadge(sweep.status)),
      h('td', progressBar(sweep)),
      h('td', best ? [h('span.mono', { dataset: { best: String(best.value) } }, fmtNum(best.value)), ' ',
        h('a.small', { href: '#/runs/' + best.runId }, 'run #' + best.index), sweep.metric ? h('div.small.muted',
          sweep.metric.name + (sweep.metric.goal === 'maximize' ? ' ↑' : ' ↓')) : null]
        : h('span.muted', sweep.metric ? '—' : 'no objective')),
      h('td', sweep.method),
      h('td', { title: fmtTime(sweep.createdAt) }, fmtAgo(sweep.createdAt)),
      h('td', sweep.createdBy)))));
}
