// The REST API client: every call the dashboard makes goes through here.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem || {};
  }
}

function url(path, params) {
  const u = new URL('/api/v1' + path, location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value == null || value === '') continue;
    if (Array.isArray(value)) value.forEach(v => u.searchParams.append(key, v));
    else u.searchParams.set(key, value);
  }
  return u;
}

async function request(method, path, { params, body, contentType, signal } = {}) {
  // X-Reprise-CSRF: the server refuses changes made with the session cookie without it; a page of another origin
  // cannot send a custom header (it would need a CORS preflight, which the orchestrator never grants)
  const headers = { Accept: 'application/json, application/problem+json', 'X-Reprise-CSRF': '1' };
  if (contentType) headers['Content-Type'] = contentType;
  let res;
  try {
    res = await fetch(url(path, params), { method, body, headers, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: 'the orchestrator did not answer: ' + e.message });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text, keepBigIntegers); } catch { data = { detail: text }; }
  }
  if (res.status === 401 && !path.startsWith('/session')) {
    // the session ended (expired, revoked or signed out elsewhere): back to the sign-in form
    window.dispatchEvent(new CustomEvent('reprise:unauthorized'));
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Integers beyond 2^53 (seeds) stay exact as strings instead of being rounded to the nearest double. */
function keepBigIntegers(_key, value, context) {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context && /^-?\d+$/.test(context.source)) {
    return context.source;
  }
  return value;
}

/** A metric key as path segments: slashes stay (the API takes them as they are), the rest is escaped. */
function keyPath(key) {
  return key.split('/').map(encodeURIComponent).join('/');
}

export const api = {
  sweeps: (params, signal) => request('GET', '/sweeps/overview', { params, signal }),
  sweep: id => request('GET', `/sweeps/${id}`),
  table: (id, params, signal) => request('GET', `/sweeps/${id}/table`, { params, signal }),
  coordinates: (id, params) => request('GET', `/sweeps/${id}/coordinates`, { params }),
  earlyStopping: id => request('GET', `/sweeps/${id}/early-stopping`),
  submit: (text, format, project) => request('POST', '/sweeps', {
    body: text, params: { project }, contentType: format === 'json' ? 'application/json' : 'application/yaml',
  }),
  cancel: id => request('POST', `/sweeps/${id}/cancel`),
  pause: id => request('POST', `/sweeps/${id}/pause`),
  resume: id => request('POST', `/sweeps/${id}/resume`),
  extend: (id, maxTrials) => request('POST', `/sweeps/${id}/extend`, {
    body: JSON.stringify({ max_trials: maxTrials }), contentType: 'application/json',
  }),
  retry: (id, body) => request('POST', `/sweeps/${id}/retry`, {
    body: JSON.stringify(body), contentType: 'application/json',
  }),
  run: id => request('GET', `/runs/${id}`),
  runMetrics: id => request('GET', `/runs/${id}/metrics`),
  series: (id, key, params, signal) => request('GET', `/runs/${id}/metrics/${keyPath(key)}`, { params, signal }),
  logs: (id, params) => request('GET', `/runs/${id}/logs`, { params }),
  snapshot: ref => request('GET', `/snapshots/${encodeURIComponent(ref)}`),
  provenance: id => request('GET', `/runs/${id}/provenance`),
  artifacts: id => request('GET', `/runs/${id}/artifacts`),
  rerun: id => request('POST', `/runs/${id}/rerun`),
  compare: (a, b, params) => request('GET', `/runs/${a}/compare/${b}`, { params }),
  whoami: () => request('GET', '/whoami'),
  usage: params => request('GET', '/usage', { params }),
  sweepUsage: id => request('GET', `/sweeps/${id}/usage`),
  // a token is exchanged for an HttpOnly session cookie: EventSource cannot send an Authorization header
  login: token => request('POST', '/session', { body: JSON.stringify({ token }), contentType: 'application/json' }),
  logout: () => request('DELETE', '/session'),
};

/** Where the browser downloads a run's file (a redirect to a short-lived presigned URL). */
export function artifactUrl(runId, path, attempt) {
  return url(`/runs/${runId}/artifacts/${keyPath(path)}`, { attempt }).toString();
}

/** Server-Sent Events URLs: a run's new points, or those of several runs of a sweep. */
export const live = {
  run: (id, keys) => url(`/runs/${id}/live`, { key: keys }).toString(),
  sweep: (id, runs, keys) => url(`/sweeps/${id}/live`, { run: runs, key: keys }).toString(),
};
