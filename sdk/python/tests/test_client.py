import json
import urllib.request

import pytest

import reprise
from conftest import sweep_yaml


def test_submits_yaml_text_a_dict_and_a_file_and_reads_them_back(client, name, tmp_path):
    from_text = client.submit(sweep_yaml(name + "-a"))
    from_dict = client.submit({"name": name + "-b", "image": "local", "command": ["python3", "t.py"],
                               "method": "grid", "parameters": {"lr": {"values": [1, 2, 3]}}})
    path = tmp_path / "sweep.yaml"
    path.write_text(sweep_yaml(name + "-c"))
    from_file = client.submit(str(path))

    assert client.sweep(from_text["id"])["name"] == name + "-a"
    assert len(client.runs(from_dict["id"])["items"]) == 3
    assert client.sweep(from_file["id"])["name"] == name + "-c"
    listed = {s["id"] for s in client.sweeps(size=100)["items"]}
    assert {from_text["id"], from_dict["id"], from_file["id"]} <= listed
    run = client.runs(from_text["id"])["items"][0]
    assert client.run(run["id"])["id"] == run["id"]


def test_an_invalid_sweep_raises_bad_request_with_the_field_paths(client, name):
    with pytest.raises(reprise.BadRequest) as e:
        client.submit({"name": name, "image": "local", "command": ["x"], "method": "grid",
                       "parameters": {"lr": {"min": 1}}})
    assert e.value.status in (400, 422)
    assert any(err["field"].startswith("parameters.lr") for err in e.value.errors)
    assert e.value.detail


def test_missing_things_and_bad_credentials_raise_typed_errors(client):
    with pytest.raises(reprise.NotFound) as e:
        client.sweep(999999999)
    assert e.value.status == 404 and e.value.title
    with pytest.raises(reprise.Unauthorized):
        reprise.Client(client.url, "rpr_api_not_a_token").sweeps()


def test_wait_returns_once_the_sweep_ended(client, name):
    sweep = client.submit(sweep_yaml(name))
    client.cancel(sweep["id"])
    assert client.wait(sweep["id"], timeout=60, interval=0.2)["status"] == "CANCELLED"


def test_metric_series_and_the_best_run(client, name):
    sweep = client.submit(sweep_yaml(name))
    runs = [r["id"] for r in client.runs(sweep["id"])["items"]]
    for i, run in enumerate(runs):
        # points logged through the orchestrator's MLflow API, as a trainer would
        metrics = [{"key": "loss", "value": (i + 1) / (step + 1), "timestamp": 1700000000000 + step, "step": step}
                   for step in range(20)]
        body = json.dumps({"run_id": str(run), "metrics": metrics}).encode()
        req = urllib.request.Request(client.url + "/mlflow/api/2.0/mlflow/runs/log-batch", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + client.token,
                                              "Content-Type": "application/json"})
        urllib.request.urlopen(req).read()

    series = client.metric(runs[0], "loss")
    assert [s for s, _ in series] == list(range(20))
    assert series[0][1] == 1.0 and series[19][1] == pytest.approx(1 / 20)
    assert "loss" in {k["key"] for k in client.metrics(runs[0])["keys"]}
    best = client.best_run(sweep["id"])
    assert best["runId"] == runs[0]
    assert best["value"] == pytest.approx(1 / 20)
