// Formatting of numbers, times and states for display.

/** API numbers: JSON numbers, or the strings NaN, Infinity and -Infinity. */
export function num(v) {
  if (v == null) return null;
  return typeof v === 'number' ? v : Number(v);
}

export function fmtNum(v, digits = 4) {
  const n = num(v);
  if (n == null) return '—';
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  if (Number.isInteger(n) && Math.abs(n) < 1e9) return n.toLocaleString('en-US');
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return n.toExponential(2);
  return Number(n.toPrecision(digits)).toString();
}

/**
 * One number format for a whole column: scientific for every value when any of them needs it (so 1.96e-4 and
 * 2.78e-3 sit together, never 1.96e-4 beside 0.00278), the plain format otherwise.
 */
export function columnFormat(values) {
  const nums = values.map(num).filter(n => n != null && Number.isFinite(n) && n !== 0);
  const scientific = nums.some(n => !Number.isInteger(n) && (Math.abs(n) < 1e-3 || Math.abs(n) >= 1e6));
  return v => {
    if (typeof v !== 'number') return v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? fmtNum(v) : fmtValue(v);
    return scientific && v !== 0 && !Number.isInteger(v) && Number.isFinite(v) ? v.toExponential(2) : fmtNum(v);
  };
}

/** A seed as the unsigned 64-bit number it is (the API holds it as a signed long). */
export function fmtSeed(v) {
  if (v == null) return '—';
  try {
    const b = BigInt(v);
    return (b < 0n ? b + (1n << 64n) : b).toString();
  } catch {
    return String(v);
  }
}

/** Wall-clock time of day, for chart axes: 22:50:21. */
export function fmtClock(ms) {
  return new Date(ms).toISOString().slice(11, 19);
}

export function fmtValue(v) {
  if (v == null) return '—';
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').slice(0, 19) + 'Z';
}

export function fmtAgo(iso, now = Date.now()) {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return s + 's ago';
  if (s < 3600) return Math.floor(s / 60) + 'm ago';
  if (s < 86400) return Math.floor(s / 3600) + 'h ago';
  return Math.floor(s / 86400) + 'd ago';
}

export function fmtDuration(startIso, endIso) {
  if (!startIso) return '—';
  const ms = (endIso ? new Date(endIso) : new Date()).getTime() - new Date(startIso).getTime();
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
}

export function fmtBytes(n) {
  if (n == null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

export const ACTIVE_STATES = ['QUEUED', 'LAUNCHING', 'RUNNING', 'PREEMPTED'];
export const RUN_STATES = ['QUEUED', 'LAUNCHING', 'RUNNING', 'PREEMPTED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST',
  'STOPPED_EARLY'];
export const TERMINAL_SWEEP = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Run counts of a sweep folded into the progress bar's groups. */
export function progressOf(sweep) {
  const c = sweep.runCounts || {};
  const get = (...states) => states.reduce((sum, s) => sum + (c[s] || 0), 0);
  const created = c.total || 0;
  const planned = TERMINAL_SWEEP.includes(sweep.status) ? created : Math.max(created, sweep.maxTrials || 0);
  return {
    total: Math.max(planned, 1),
    done: get('SUCCEEDED'),
    failed: get('FAILED', 'LOST'),
    stopped: get('CANCELLED', 'STOPPED_EARLY'),
    running: get('LAUNCHING', 'RUNNING'),
    queued: get('QUEUED', 'PREEMPTED') + Math.max(0, planned - created),
  };
}
