"""Shell requests are handled one at a time (issue 21): queue several cells and a kernel_info without waiting,
then read IOPub's status messages in order. Prints one JSON object for status-order.test.ts.
"""
import json
import queue
import time

from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name="scorelab", startup_timeout=120)
try:
    kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda m: None)
    ids = [kc.execute(code) for code in ("await new Promise((r) => setTimeout(r, 400)); 1",
                                         "await new Promise((r) => setTimeout(r, 200)); 2", "3")]
    ids.append(kc.kernel_info())
    events = []
    replies = {}
    end = time.time() + 60
    while time.time() < end and not all(i in replies and any(e == ["idle", i] for e in events) for i in ids):
        try:
            m = kc.get_iopub_msg(timeout=0.2)
            parent = m["parent_header"].get("msg_id")
            if parent in ids:
                if m["msg_type"] == "status":
                    events.append([m["content"]["execution_state"], parent])
                elif m["msg_type"] in ("execute_result", "execute_input"):
                    events.append([m["msg_type"], parent])
        except queue.Empty:
            pass
        try:
            r = kc.get_shell_msg(timeout=0.01)
            replies[r["parent_header"]["msg_id"]] = r["content"]["status"]
        except queue.Empty:
            pass
    print(json.dumps({"ids": ids, "events": events, "replies": [replies.get(i) for i in ids]}))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
