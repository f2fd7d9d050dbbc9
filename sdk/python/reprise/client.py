"""The REST client: sweeps, runs, metrics. Standard library only."""

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

from . import errors

_TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED"}


class Client:
    """A client of one orchestrator. url: e.g. http://127.0.0.1:8080 (default REPRISE_SERVER); token: a Reprise API
    token (default REPRISE_TOKEN)."""

    def __init__(self, url=None, token=None, timeout=30.0):
        url = url or os.environ.get("REPRISE_SERVER") or "http://127.0.0.1:8080"
        self.url = url.rstrip("/")
        self.token = token if token is not None else os.environ.get("REPRISE_TOKEN")
        self.timeout = timeout

    # ---- sweeps

    def submit(self, sweep):
        """Submits a sweep: a dict, YAML or JSON text, or the path of a file. Returns the created sweep."""
        if isinstance(sweep, dict):
            return self._request("POST", "/api/v1/sweeps", body=json.dumps(sweep).encode(),
                                 content_type="application/json")
        text = sweep
        if isinstance(sweep, os.PathLike) or (isinstance(sweep, str) and "\n" not in sweep
                                               and os.path.isfile(sweep)):
            with open(sweep, "r", encoding="utf-8") as f:
                text = f.read()
        if not isinstance(text, str):
            raise TypeError("sweep must be a dict, a path or YAML/JSON text")
        kind = "application/json" if text.lstrip().startswith("{") else "application/yaml"
        return self._request("POST", "/api/v1/sweeps", body=text.encode("utf-8"), content_type=kind)

    def sweeps(self, **query):
        """One page of sweeps (filters as query parameters, e.g. project=, status=, limit=)."""
        return self._request("GET", "/api/v1/sweeps", query=query)

    def sweep(self, sweep_id):
        return self._request("GET", "/api/v1/sweeps/%s" % sweep_id)

    def runs(self, sweep_id, **query):
        """One page of a sweep's runs."""
        return self._request("GET", "/api/v1/sweeps/%s/runs" % sweep_id, query=query)

    def run(self, run_id):
        return self._request("GET", "/api/v1/runs/%s" % run_id)

    def cancel(self, sweep_id):
        return self._request("POST", "/api/v1/sweeps/%s/cancel" % sweep_id)

    def wait(self, sweep_id, timeout=None, interval=2.0):
        """Waits until the sweep ends (SUCCEEDED, FAILED or CANCELLED) and returns it; TimeoutError after timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            sweep = self.sweep(sweep_id)
            if sweep.get("status") in _TERMINAL:
                return sweep
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError("sweep %s is still %s" % (sweep_id, sweep.get("status")))
            time.sleep(interval)

    def best_run(self, sweep_id):
        """The run with the best objective value so far ({runId, index, value, parameters}), or None."""
        return self.sweep(sweep_id).get("best")

    # ---- metrics

    def metrics(self, run_id):
        """Every key of a run with count, last, min and max."""
        return self._request("GET", "/api/v1/runs/%s/metrics" % run_id)

    def metric(self, run_id, key, max_points=100000, **query):
        """One key's series: [(step, value), ...] at full resolution up to max_points (then downsampled)."""
        query = dict(query, max_points=max_points)
        series = self._request("GET", "/api/v1/runs/%s/metrics/%s" % (run_id, urllib.parse.quote(key, safe="/")),
                               query=query)
        return [(p["step"], _value(p["value"])) for p in series.get("points", [])]

    # ---- transport

    def _request(self, method, path, query=None, body=None, content_type=None):
        url = self.url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None}, doseq=True)
        headers = {"Accept": "application/json, application/problem+json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = resp.read()
                return json.loads(data) if data else None
        except urllib.error.HTTPError as e:
            data = e.read()
            try:
                problem = json.loads(data) if data else {}
            except ValueError:
                problem = {"detail": data.decode("utf-8", "replace")}
            raise errors.for_status(e.code)(e.code, problem, method, url) from None


def _value(v):
    if isinstance(v, str):
        return {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}[v]
    return v
