"""PyTorch's CPU ms per DSM training step for dsm.py's workloads (its wall clock replaced by process CPU time), 1 thread.

python3 bench/pytorch/cpu_time.py w1|w2|u8 STEPS  ->  {"name": ..., "cpuMs": ...}
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
time.perf_counter = time.process_time  # dsm.train_steps times itself with time.perf_counter
import dsm  # noqa: E402
import torch  # noqa: E402

workload, reps = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(1)
torch.manual_seed(0)
mlp = {"w1": (2, 256, 512), "w2": (784, 512, 128)}
secs = dsm.train_steps(*mlp[workload], reps) if workload in mlp else dsm.train_steps(64, 0, 128, reps, dsm.UNet(8))
print(json.dumps({"name": workload, "cpuMs": 1000 * secs / reps}))
