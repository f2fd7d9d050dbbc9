"""A trainer that reports through the reprise package inside a trial: reprise.log_params and reprise.log, which
write to the agent's metrics file (no network call of its own). Run by test_trial_run.py on the local executor."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import reprise  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
args = parser.parse_args()

reprise.log_params({"optimizer": "adam", "batch_size": 32, "lr": args.lr})
for step in range(3):
    reprise.log({"loss": args.lr * 10 / (step + 1)}, step=step)
    # a training loop that logs its config every epoch: the same values change nothing
    reprise.log_params({"optimizer": "adam"})
# another value for a param already set: refused, shown as a warning on the run, the first value stays
reprise.log_params({"optimizer": "sgd"})
