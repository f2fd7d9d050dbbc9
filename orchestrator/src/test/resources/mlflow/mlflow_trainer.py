"""A trainer that reports through the MLflow tracking REST API exactly as the Python MLflow library does when its
code calls mlflow.start_run() / log_param / log_metrics / end_run inside a Reprise trial: it reads
MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN and MLFLOW_RUN_ID from the environment, attaches to that run (get, then
update to RUNNING), logs, and ends the run (update to FINISHED). Standard library only: the machine has no mlflow.

val_loss at epoch e is 100 * (lr - 0.03)^2 + 1 / (e + 1): the best learning rate is 0.03.
"""
import argparse
import json
import os
import time
import urllib.parse
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--epochs", type=int, default=5)
args = parser.parse_args()

base = os.environ["MLFLOW_TRACKING_URI"].rstrip("/") + "/api/2.0/mlflow/"
headers = {"Authorization": "Bearer " + os.environ["MLFLOW_TRACKING_TOKEN"], "Content-Type": "application/json"}
run_id = os.environ["MLFLOW_RUN_ID"]


def call(method, endpoint, body=None, query=None):
    url = base + endpoint + ("?" + urllib.parse.urlencode(query) if query else "")
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"{}")


now = lambda: int(time.time() * 1000)

# mlflow.start_run() with MLFLOW_RUN_ID set: get the run, check its experiment, set it RUNNING
run = call("GET", "runs/get", query={"run_id": run_id})["run"]
assert run["info"]["experiment_id"] == os.environ["MLFLOW_EXPERIMENT_ID"], run
call("POST", "runs/update", {"run_id": run_id, "run_uuid": run_id, "status": "RUNNING"})
# mlflow.log_param / mlflow.set_tag
call("POST", "runs/log-parameter", {"run_id": run_id, "run_uuid": run_id, "key": "lr", "value": str(args.lr)})
call("POST", "runs/set-tag", {"run_id": run_id, "run_uuid": run_id, "key": "trainer", "value": "mlflow"})
for epoch in range(args.epochs):
    val_loss = 100 * (args.lr - 0.03) ** 2 + 1 / (epoch + 1)
    # mlflow.log_metrics({...}, step=epoch) sends one log-batch
    call("POST", "runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "val_loss", "value": val_loss, "timestamp": now(), "step": epoch},
        {"key": "train_loss", "value": val_loss * 0.9, "timestamp": now(), "step": epoch}]})
# mlflow.end_run()
call("POST", "runs/update", {"run_id": run_id, "run_uuid": run_id, "status": "FINISHED", "end_time": now()})
print("trained lr=%s" % args.lr)
