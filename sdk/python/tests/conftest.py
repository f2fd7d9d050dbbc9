import os
import uuid

import pytest

import reprise


@pytest.fixture
def client():
    url = os.environ.get("REPRISE_SERVER")
    token = os.environ.get("REPRISE_TOKEN")
    if not url or not token:
        pytest.fail("REPRISE_SERVER and REPRISE_TOKEN must name a running orchestrator (PythonSdkTest sets them)")
    return reprise.Client(url, token)


@pytest.fixture
def name():
    return "py-" + uuid.uuid4().hex[:12]


def sweep_yaml(name, metric=True):
    return ("name: %s\nimage: local\ncommand: [python3, train.py, '${args}']\nmethod: grid\n" % name
            + ("metric: {name: loss, goal: minimize}\n" if metric else "")
            + "parameters:\n  lr: {values: [0.1, 0.2]}\n")
