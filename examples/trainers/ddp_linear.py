"""Data-parallel training with torch.distributed, one process per node (gloo on CPU, nccl on GPUs).

Run by Reprise with resources.nodes: N, the command runs once per node with MASTER_ADDR, MASTER_PORT,
WORLD_SIZE, RANK, LOCAL_RANK, NNODES and NODE_RANK set, so init_process_group("env://") finds the other ranks.
Also works unchanged under torchrun (which sets the same variables for each process it starts).

Each rank trains the same linear model on its own shard of a synthetic regression problem. After backward(),
every gradient is all-reduced (summed across ranks, then divided by the world size): the ranks take identical
steps and stay identical. Every rank prints the all-reduced gradient norm of each epoch, so their logs can be
compared; rank 0 alone prints the metrics (key=value lines the Reprise agent parses), so the run's objective is
rank 0's.
"""
import argparse
import os

import torch
import torch.distributed as dist


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--learning_rate", type=float, default=0.05)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--samples", type=int, default=512, help="samples per rank")
    p.add_argument("--features", type=int, default=8)
    args = p.parse_args()

    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend)  # env:// from MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK
    rank, world = dist.get_rank(), dist.get_world_size()
    print(f"rank {rank} of {world} up (node rank {os.environ.get('NODE_RANK')}, "
          f"master {os.environ.get('MASTER_ADDR')}:{os.environ.get('MASTER_PORT')}, {backend})", flush=True)

    # the same true weights everywhere, a different data shard per rank
    torch.manual_seed(1234)
    true_w = torch.randn(args.features, 1)
    g = torch.Generator().manual_seed(1000 + rank)
    x = torch.randn(args.samples, args.features, generator=g)
    y = x @ true_w + 0.01 * torch.randn(args.samples, 1, generator=g)

    torch.manual_seed(0)  # identical initial model on every rank
    model = torch.nn.Linear(args.features, 1, bias=False)
    opt = torch.optim.SGD(model.parameters(), lr=args.learning_rate)

    for epoch in range(1, args.epochs + 1):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        for param in model.parameters():  # the data-parallel step: average the gradients of all ranks
            dist.all_reduce(param.grad, op=dist.ReduceOp.SUM)
            param.grad /= world
        grad_norm = torch.sqrt(sum((q.grad ** 2).sum() for q in model.parameters())).item()
        opt.step()
        global_loss = loss.detach().clone()
        dist.all_reduce(global_loss, op=dist.ReduceOp.SUM)
        global_loss = (global_loss / world).item()
        # no '=' in this line: it is for people and tests comparing ranks, not a metric
        print(f"[rank {rank}] epoch {epoch}: all-reduced gradient norm {grad_norm:.10f}", flush=True)
        if rank == 0:
            print(f"step={epoch} loss={global_loss:.8f}", flush=True)

    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
