// The dashboard's entry point: a hash router that renders one page at a time into <main id="app">. Each page's
// render(root, params, query) returns a function that releases what the page holds (streams, timers, charts).
import { h, fill, alertBox } from './dom.js';
import * as sweepsPage from './pages/sweeps.js';
import * as sweepPage from './pages/sweep.js';
import * as runPage from './pages/run.js';
import * as comparePage from './pages/compare.js';
import * as submitPage from './pages/submit.js';

const routes = [
  { pattern: /^\/?$/, page: sweepsPage, nav: 'sweeps' },
  { pattern: /^\/sweeps$/, page: sweepsPage, nav: 'sweeps' },
  { pattern: /^\/sweeps\/(\d+)$/, page: sweepPage, nav: 'sweeps' },
  { pattern: /^\/runs\/(\d+)$/, page: runPage, nav: 'sweeps' },
  { pattern: /^\/compare$/, page: comparePage, nav: 'sweeps' },
  { pattern: /^\/new$/, page: submitPage, nav: 'new' },
];

const root = document.getElementById('app');
let release = null;
let generation = 0;

async function route() {
  const mine = ++generation;
  const hash = location.hash.replace(/^#/, '');
  const [path, search] = hash.split('?');
  const query = new URLSearchParams(search || '');
  if (release) {
    try { release(); } catch (e) { console.warn(e); }
    release = null;
  }
  fill(root);
  const match = routes.map(r => ({ r, m: path.match(r.pattern) })).find(x => x.m);
  document.querySelectorAll('[data-nav]').forEach(a =>
    a.classList.toggle('active', match && a.dataset.nav === match.r.nav));
  if (!match) {
    fill(root, alertBox('error', 'No such page: ', h('code', location.hash), '. ', h('a', { href: '#/sweeps' },
      'Back to the sweeps')));
    return;
  }
  const container = h('div.page');
  root.append(container);
  try {
    const done = await match.r.page.render(container, match.m.slice(1), query);
    if (mine === generation) release = done;
    else if (done) done(); // the user moved on while the page was loading
  } catch (e) {
    console.error(e);
    fill(container, alertBox('error', e.message || String(e)));
  }
}

window.addEventListener('hashchange', route);
route();
