#!/usr/bin/env python3
"""A trainer that checkpoints every epoch and resumes where the last attempt stopped (docs/checkpoints.md).

Only the standard library: a toy model (one weight fitted by gradient descent) stands in for a real one. What matters
is the checkpoint contract with Reprise:

  * save each checkpoint into $REPRISE_CHECKPOINT_DIR/step-N/ and write the marker file COMPLETE into it last;
    the agent uploads a checkpoint only once its marker exists, so a half-written one is never stored;
  * when $REPRISE_RESUME_STEP is set, the agent has restored step-N/ (N = its value, every byte verified) before
    this script started: load it and go on from step N + 1;
  * log one JSON line per step ({"step": N, ...}); the run's curve takes each step once, from the attempt that
    trained it last.
"""
import argparse
import json
import os
import shutil
import sys
import time


def save(directory, step, state, keep):
    target = os.path.join(directory, f"step-{step}")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "state.json"), "w") as f:
        json.dump(state, f)
        f.flush()
        os.fsync(f.fileno())
    # the marker last: from now on the checkpoint is complete
    with open(os.path.join(target, "COMPLETE"), "w") as f:
        f.write(f"{step}\n")
    # keep only the newest few locally; Reprise keeps its own copies (reprise.checkpoints.keep)
    steps = sorted(int(d[5:]) for d in os.listdir(directory) if d.startswith("step-") and d[5:].isdigit())
    for old in steps[:-keep]:
        shutil.rmtree(os.path.join(directory, f"step-{old}"), ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--epoch-seconds", "--epoch_seconds", dest="epoch_seconds", type=float, default=0.5)
    p.add_argument("--lr", type=float, default=0.1)
    args = p.parse_args()

    directory = os.environ.get("REPRISE_CHECKPOINT_DIR", "checkpoints")
    os.makedirs(directory, exist_ok=True)
    state = {"w": 0.0}
    first = 0
    resume = os.environ.get("REPRISE_RESUME_STEP")
    if resume is not None:
        with open(os.path.join(directory, f"step-{resume}", "state.json")) as f:
            state = json.load(f)
        first = int(resume) + 1
        print(f"resumed from checkpoint step {resume}", file=sys.stderr, flush=True)

    target = 3.0
    for step in range(first, args.epochs):
        time.sleep(args.epoch_seconds)
        grad = 2 * (state["w"] - target)
        state["w"] -= args.lr * grad
        loss = (state["w"] - target) ** 2
        print(json.dumps({"step": step, "loss": loss, "w": state["w"]}), flush=True)
        save(directory, step, state, keep=2)


if __name__ == "__main__":
    main()
