import json
import math

import pytest

import reprise


def test_log_appends_json_lines_to_the_agents_metrics_file(tmp_path, monkeypatch):
    path = tmp_path / "metrics.jsonl"
    monkeypatch.setenv("REPRISE_METRICS_FILE", str(path))
    reprise.log({"loss": 0.25, "acc": 1}, step=3)
    reprise.log({"odd": float("nan"), "big": float("inf"), "small": -math.inf})
    lines = path.read_text().splitlines()
    assert json.loads(lines[0]) == {"step": 3, "loss": 0.25, "acc": 1.0}
    odd = json.loads(lines[1])  # Python's json reads NaN/Infinity back, as the agent does
    assert math.isnan(odd["odd"]) and odd["big"] == math.inf and odd["small"] == -math.inf


def test_log_prints_on_stdout_outside_a_trial(monkeypatch, capsys):
    monkeypatch.delenv("REPRISE_METRICS_FILE", raising=False)
    reprise.log({"loss": 1.5}, step=0)
    assert json.loads(capsys.readouterr().out) == {"step": 0, "loss": 1.5}


@pytest.mark.parametrize("metrics, step", [({}, None), ({"loss": "high"}, None), ({"loss": True}, None),
                                           ({"step": 1}, None), ({"sys/cpu": 1}, None), ({"a": 1}, -1),
                                           ({"a": 1}, 1.5), ({"": 1}, None)])
def test_log_refuses_what_the_agent_would_drop(metrics, step, monkeypatch, tmp_path):
    monkeypatch.setenv("REPRISE_METRICS_FILE", str(tmp_path / "m"))
    with pytest.raises((TypeError, ValueError)):
        reprise.log(metrics, step=step)
    assert not (tmp_path / "m").exists()


def test_params_are_the_trials_and_log_params_writes_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("REPRISE_PARAMS", '{"lr": 0.1, "layers": 3}')
    assert reprise.params() == {"lr": 0.1, "layers": 3}
    monkeypatch.delenv("REPRISE_PARAMS")
    assert reprise.params() == {}
    path = tmp_path / "m"
    monkeypatch.setenv("REPRISE_METRICS_FILE", str(path))
    reprise.log_params({"optimizer": "adam", "lr": 0.1, "nesterov": True})
    assert json.loads(path.read_text()) == {"params": {"optimizer": "adam", "lr": "0.1", "nesterov": "True"}}


@pytest.mark.parametrize("values", [{}, {"": "x"}, {"k" * 251: "x"}, {"lr": None}, {"long": "v" * 6001}])
def test_log_params_refuses_what_mlflow_would_refuse(values, monkeypatch, tmp_path):
    monkeypatch.setenv("REPRISE_METRICS_FILE", str(tmp_path / "m"))
    with pytest.raises((TypeError, ValueError)):
        reprise.log_params(values)
    assert not (tmp_path / "m").exists()
