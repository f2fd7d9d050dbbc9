"""Reporting from inside a trial, through the agent that wraps the command: no network call of its own.

The agent reads JSON lines from the file named by REPRISE_METRICS_FILE (and from stdout); every top-level number of
a line is a metric and "step" is the line's step (docs/metrics.md). Outside a trial the lines go to stdout.
"""

import json
import math
import numbers
import os
import sys
import threading

_lock = threading.Lock()
_STEP_KEYS = ("step", "_step", "global_step", "epoch")


def _number(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("metric values must be numbers, got %r" % (value,))
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _line(record):
    # NaN and infinities as Python's json writes them (NaN, Infinity, -Infinity): the agent accepts them
    parts = []
    for key, value in record.items():
        if value in ("NaN", "Infinity", "-Infinity"):
            parts.append("%s: %s" % (json.dumps(key), value))
        else:
            parts.append("%s: %s" % (json.dumps(key), json.dumps(value, separators=(",", ":"))))
    return "{" + ", ".join(parts) + "}"


def _emit(line):
    path = os.environ.get("REPRISE_METRICS_FILE")
    with _lock:
        if path:
            with open(path, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        else:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def log(metrics, step=None):
    """Reports metrics ({"loss": 0.3}) at a step (a whole number >= 0; None: each key counts on by itself)."""
    if not isinstance(metrics, dict) or not metrics:
        raise TypeError("metrics must be a non-empty dict of name -> number")
    record = {}
    if step is not None:
        if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
            raise ValueError("step must be a whole number >= 0, got %r" % (step,))
        record["step"] = int(step)
    for key, value in metrics.items():
        if not isinstance(key, str) or not key or len(key) > 256:
            raise ValueError("metric keys are strings of 1 to 256 characters, got %r" % (key,))
        if key in _STEP_KEYS:
            raise ValueError("%r is a step key; pass it as step=" % key)
        if key.startswith("sys/"):
            raise ValueError("the prefix sys/ is reserved for system metrics")
        record[key] = _number(value)
    _emit(_line(record))
    return record


def _param_text(value):
    # MLflow's log_param stores str(value): True -> "True", 0.1 -> "0.1"
    return value if isinstance(value, str) else str(value)


def log_params(values):
    """Stores parameters on this trial's run ({"optimizer": "adam", "lr": 0.1}), through the agent like log().

    Values are stored as text, as MLflow's log_param does (str(value)). Names follow MLflow's rules (1 to 250
    characters: alphanumerics, _ - . space : /), values at most 6,000 characters. A parameter is immutable once set:
    logging it again with the same value is fine, another value is refused and shown as a warning on the run (the
    first value stays). The run shows them as loggedParams (GET /api/v1/runs/{id}) and, for MLflow clients, in
    run.data.params. Outside a trial the line goes to stdout.
    """
    if not isinstance(values, dict) or not values:
        raise TypeError("params must be a non-empty dict of name -> value")
    clean = {}
    for key, value in values.items():
        if not isinstance(key, str) or not key or len(key) > 250:
            raise ValueError("parameter names are strings of 1 to 250 characters, got %r" % (key,))
        if value is None:
            raise ValueError("parameter %r has no value" % key)
        text = _param_text(value)
        if len(text) > 6000:
            raise ValueError("parameter %r has a value longer than 6000 characters" % key)
        clean[key] = text
    _emit(json.dumps({"params": clean}, separators=(",", ":")))
    return clean


def params():
    """This trial's parameters as the sweep resolved them (REPRISE_PARAMS); {} outside a trial."""
    text = os.environ.get("REPRISE_PARAMS")
    return json.loads(text) if text else {}
