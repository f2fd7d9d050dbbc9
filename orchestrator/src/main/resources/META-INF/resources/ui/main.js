// The dashboard's entry point: a hash router that renders one page at a time into <main id="app">. Each page's
// render(root, params, query) returns a function that releases what the page holds (streams, timers, charts).
import { h, fill, alertBox } from './dom.js';
import { api } from './api.js';
import * as sweepsPage from './pages/sweeps.js';
import * as sweepPage from './pages/sweep.js';
import * as runPage from './pages/run.js';
import * as comparePage from './pages/compare.js';
import * as submitPage from './pages/submit.js';
import * as usagePage from './pages/usage.js';

const routes = [
  { pattern: /^\/?$/, page: sweepsPage, nav: 'sweeps' },
  { pattern: /^\/sweeps$/, page: sweepsPage, nav: 'sweeps' },
  { pattern: /^\/sweeps\/(\d+)$/, page: sweepPage, nav: 'sweeps' },
  { pattern: /^\/runs\/(\d+)$/, page: runPage, nav: 'sweeps' },
  { pattern: /^\/compare$/, page: comparePage, nav: 'sweeps' },
  { pattern: /^\/new$/, page: submitPage, nav: 'new' },
  { pattern: /^\/usage$/, page: usagePage, nav: 'usage' },
];

const root = document.getElementById('app');
// whether this browser signed in before: without it the sign-in form shows at once, with no /whoami that must fail
const SESSION_HINT = 'reprise.session';
const THEME = 'reprise.theme';

/** The theme: the toggle's choice if the user made one, else the browser's prefers-color-scheme. */
function applyTheme() {
  const chosen = localStorage.getItem(THEME);
  const dark = chosen ? chosen === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  const toggle = document.getElementById('theme-toggle');
  if (toggle) {
    toggle.textContent = dark ? '☀' : '☾';
    toggle.title = dark ? 'Use the light theme' : 'Use the dark theme';
    toggle.setAttribute('aria-pressed', String(dark));
  }
}
applyTheme();
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  if (!localStorage.getItem(THEME)) { applyTheme(); route(); } // charts are drawn in the theme's colours
});
document.getElementById('theme-toggle')?.addEventListener('click', () => {
  localStorage.setItem(THEME, document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark');
  applyTheme();
  route();
});
let release = null;
let generation = 0;
let caller = null;

/** Who is signed in, asking the server once; null (and the sign-in form shown) when nobody is. */
async function signedIn() {
  if (caller) return caller;
  if (!localStorage.getItem(SESSION_HINT)) return null;
  try {
    caller = await api.whoami();
  } catch (e) {
    if (e.status !== 401) throw e;
    localStorage.removeItem(SESSION_HINT);
    return null;
  }
  localStorage.setItem(SESSION_HINT, '1');
  const who = document.getElementById('who');
  if (who) {
    fill(who, caller.subject);
    who.closest('.session').hidden = false;
  }
  return caller;
}

/** The sign-in form: a token (from reprise token create, or the local admin token) becomes a session cookie. */
function loginPage() {
  const input = h('input', { id: 'login-token', type: 'password', autocomplete: 'off', placeholder: 'rpr_…',
    'aria-label': 'API token' });
  const error = h('div.login-error');
  const form = h('form.login', { id: 'login' }, h('h1', 'Sign in'),
    h('p', 'Paste an API token (', h('code', 'reprise token create'), ') or the local admin token that ',
      h('code', './reprise up'), ' printed.'),
    input, h('button', { id: 'login-submit', type: 'submit' }, 'Sign in'), error);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    fill(error);
    try {
      await api.login(input.value.trim());
      localStorage.setItem(SESSION_HINT, '1');
      route();
    } catch (e) {
      fill(error, alertBox('error', e.message || String(e)));
    }
  });
  fill(root, form);
  input.focus();
}

window.addEventListener('reprise:unauthorized', () => {
  localStorage.removeItem(SESSION_HINT);
  if (caller) {
    caller = null;
    route();
  }
});

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
  if (!(await signedIn())) {
    if (mine === generation) loginPage();
    return;
  }
  if (mine !== generation) return;
  const match = routes.map(r => ({ r, m: path.match(r.pattern) })).find(x => x.m);
  document.querySelectorAll('[data-nav]').forEach(a =>
    a.classList.toggle('active', match && a.dataset.nav === match.r.nav));
  if (!match) {
    fill(root, h('div.not-found', h('h1', 'Not found'), alertBox('error', 'No such page: ', h('code', location.hash),
      '. ', h('a', { href: '#/sweeps' }, 'Back to the sweeps'))));
    return;
  }
  const container = h('div.page');
  root.append(container);
  try {
    const done = await match.r.page.render(container, match.m.slice(1), query);
    if (mine === generation) release = done;
    else if (done) done(); // the user moved on while the page was loading
  } catch (e) {
    if (mine !== generation) return;
    if (e.status === 404) {
      // a sweep or run that does not exist (or no longer does): a page that says so, not an error
      fill(container, h('div.not-found', h('h1', 'Not found'), alertBox('error', e.message || 'No such page', '. ',
        h('a', { href: '#/sweeps' }, 'Back to the sweeps'))));
      return;
    }
    console.warn(e);
    fill(container, alertBox('error', e.message || String(e)));
  }
}

document.getElementById('logout')?.addEventListener('click', async ev => {
  ev.preventDefault();
  try { await api.logout(); } catch (e) { console.warn(e); }
  localStorage.removeItem(SESSION_HINT);
  caller = null;
  document.querySelector('.session').hidden = true;
  route();
});

window.addEventListener('hashchange', route);
route();
