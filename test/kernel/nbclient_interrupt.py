"""Executes a notebook through nbclient with the scorelab kernel, then interrupts a long magic with SIGINT
via jupyter_client. Prints one JSON object for test/kernel/protocol.test.ts to assert on."""
import json
import sys
import time

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

result = {}
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name="scorelab", timeout=60).execute()
result["nb_errors"] = [o.get("ename") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
result["nb_counts"] = [c.get("execution_count") for c in nb.cells]

km, kc = start_new_kernel(kernel_name="scorelab")
try:
    kc.execute_interactive("let keep = 41;", timeout=30)
    out = []
    msg_id = kc.execute("%timeit -n 100000 -r 1 await new Promise((r) => setTimeout(r, 1))")
    time.sleep(2.0)
    t0 = time.time()
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    result["interrupt_latency_s"] = time.time() - t0
    result["interrupt_status"] = reply["content"]["status"]
    while True:
        m = kc.get_iopub_msg(timeout=5)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream":
            out.append(m["content"]["text"])
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    result["interrupt_stdout"] = "".join(out)
    values = []
    kc.execute_interactive("keep + 1", timeout=30,
                           output_hook=lambda m: values.append(m["content"]["data"]["text/plain"]) if m["msg_type"] == "execute_result" else None)
    result["after"] = values

    # SIGINT in the middle of %train_score: training stops at the next step, the model keeps what it learned and
    # stays bound, and it can be sampled afterwards.
    kc.execute_interactive("%dataset moons --n 512 --no-plot --as moons", timeout=60)
    msg_id = kc.execute("%train_score --data moons --steps 1000000 --width 32 --depth 2 --no-plot --as model")
    time.sleep(4.0)
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    result["train_interrupt_status"] = reply["content"]["status"]
    texts = []
    def collect(m):
        if m["msg_type"] == "execute_result":
            texts.append(m["content"]["data"]["text/plain"])
    kc.execute_interactive("[model.training.stopped, model.training.steps > 0, model.training.history.length === model.training.steps]",
                           timeout=30, output_hook=collect)
    kc.execute_interactive("%sample --model model --n 16 --steps 10 --no-plot --as xs", timeout=60)
    kc.execute_interactive("[xs.shape, keep + 1]", timeout=30, output_hook=collect)
    result["after_train"] = texts
    result["alive"] = km.is_alive()
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(result))
