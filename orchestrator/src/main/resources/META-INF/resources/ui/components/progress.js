// The progress bar of a sweep: done, failed, stopped and running trials out of the planned ones.
import { h } from '../dom.js';
import { progressOf } from '../format.js';

export function progressBar(sweep, { wide = false } = {}) {
  const p = progressOf(sweep);
  const pct = n => (100 * n / p.total).toFixed(2) + '%';
  const label = `${p.done + p.failed + p.stopped}/${p.total} finished · ${p.running} running · ${p.queued} queued · `
    + `${p.failed} failed` + (p.stopped ? ` · ${p.stopped} cancelled or stopped` : '');
  return h('div.progress-cell', { dataset: { done: p.done, running: p.running, queued: p.queued, failed: p.failed } },
    h('div.progress' + (wide ? '.wide' : ''), { title: label, role: 'progressbar', 'aria-valuemin': 0,
      'aria-valuemax': p.total, 'aria-valuenow': p.done + p.failed + p.stopped },
    h('span.done', { style: { width: pct(p.done) } }),
    h('span.failed', { style: { width: pct(p.failed) } }),
    h('span.stopped', { style: { width: pct(p.stopped) } }),
    h('span.running', { style: { width: pct(p.running) } })),
    h('div.progress-label', label));
}

export function stateBadge(state) {
  return h('span.badge.' + state, { dataset: { state } }, state.replace('_', ' '));
}
