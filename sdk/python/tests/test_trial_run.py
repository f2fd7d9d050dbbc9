"""reprise.log_params inside a real trial: the local executor runs the trainer under the real agent, which sends the
params over Kafka; the orchestrator stores them on the run."""

import uuid

import pytest


def test_a_trainer_logging_params_through_the_agent_shows_them_on_its_run(client):
    sweep = client.submit({
        "name": "py-params-" + uuid.uuid4().hex[:10],
        "image": "local",
        "queue": "local",
        "command": ["python3", "sdk/python/tests/trainers/log_params_trainer.py", "${args}"],
        "method": "grid",
        "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"lr": {"values": [0.1]}},
    })
    assert client.wait(sweep["id"], timeout=240, interval=1)["status"] == "SUCCEEDED"
    run = client.runs(sweep["id"])["items"][0]
    detail = client.run(run["id"])

    assert detail["loggedParams"] == {"optimizer": "adam", "batch_size": "32", "lr": "0.1"}
    warnings = [w for w in detail["warnings"] if "immutable" in w["reason"]]
    assert len(warnings) == 1 and warnings[0]["example"] == "optimizer: kept 'adam', refused 'sgd'"
    assert [v for _, v in client.metric(run["id"], "loss")] == pytest.approx([1.0, 0.5, 1.0 / 3])
