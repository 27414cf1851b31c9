"""Faults through the real scorelab kernel with jupyter_client: a throwing cell, an unhandled rejection, an
awaiting infinite loop (interrupt), a synchronous infinite loop (interrupt, then restart), process.exit
(an error reply; restart still works), memory exhaustion (RangeError). Prints one JSON object for kernel-faults.test.ts to assert on."""
import json
import queue
import time

from jupyter_client.manager import start_new_kernel

res = {}


def run(kc, code, timeout=30.0):
    """Executes code; returns {status, ename, evalue, stdout, stderr, result} or {status: 'no-reply'}."""
    msg_id = kc.execute(code)
    out = {"stdout": "", "stderr": "", "result": None}
    deadline = time.time() + timeout
    reply = None
    while time.time() < deadline:
        try:
            m = kc.get_shell_msg(timeout=0.2)
            if m["parent_header"].get("msg_id") == msg_id:
                reply = m["content"]
                break
        except queue.Empty:
            pass
    if reply is None:
        return {"status": "no-reply"}
    out["status"] = reply["status"]
    out["ename"] = reply.get("ename")
    out["evalue"] = reply.get("evalue")
    end = time.time() + 5
    while time.time() < end:
        try:
            m = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            break
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        t = m["msg_type"]
        if t == "stream":
            out[m["content"]["name"]] += m["content"]["text"]
        elif t == "execute_result":
            out["result"] = m["content"]["data"].get("text/plain")
        elif t == "status" and m["content"]["execution_state"] == "idle":
            break
    out["msg_id"] = msg_id
    return out


def drain(kc, msg_id, seconds):
    """stderr that arrived later for an earlier cell (async output goes to the cell that started it)."""
    text = ""
    end = time.time() + seconds
    while time.time() < end:
        try:
            m = kc.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
            text += m["content"]["text"]
    return text


def interrupt_case(km, kc, code, wait_s):
    msg_id = kc.execute(code)
    time.sleep(1.5)
    t0 = time.time()
    km.interrupt_kernel()
    reply = None
    while time.time() - t0 < wait_s:
        try:
            m = kc.get_shell_msg(timeout=0.2)
            if m["parent_header"].get("msg_id") == msg_id:
                reply = m["content"]
                break
        except queue.Empty:
            pass
    return {"status": reply["status"] if reply else "no-reply", "evalue": reply.get("evalue") if reply else None,
            "latency_s": round(time.time() - t0, 2)}


km, kc = start_new_kernel(kernel_name="scorelab", startup_timeout=120)
try:
    run(kc, "let keep = 41;")
    res["throw"] = run(kc, 'throw new Error("boom");')
    res["after_throw"] = run(kc, "keep + 1")

    res["rejection"] = run(kc, 'setTimeout(() => Promise.reject(new Error("late rejection")), 50); "scheduled"')
    res["rejection_stderr"] = drain(kc, res["rejection"].get("msg_id"), 1.5)
    res["after_rejection"] = run(kc, "keep + 1")
    res["alive_after_rejection"] = km.is_alive()

    res["memory_tensor"] = run(kc, "tf.zeros([1e5, 1e5])")
    res["memory_string"] = run(kc, 'const big = "x".repeat(2 ** 30);')
    res["memory_array"] = run(kc, "new Float64Array(2 ** 40).length")
    res["after_memory"] = run(kc, "keep + tf.ones([1]).sum().dataSync()[0]")

    res["async_loop"] = interrupt_case(km, kc, "while (true) { await new Promise((r) => setTimeout(r, 5)); }", 15)
    res["after_async_loop"] = run(kc, "keep + 1")

    res["sync_loop"] = interrupt_case(km, kc, "while (true) {}", 6)
    res["alive_in_sync_loop"] = km.is_alive()
    if res["sync_loop"]["status"] == "no-reply":
        kc.stop_channels()
        km.restart_kernel(now=True)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
    res["after_sync_loop_restart"] = run(kc, "1 + 1")

    res["exit"] = run(kc, "process.exit(3)", timeout=10)
    time.sleep(1.0)
    res["alive_after_exit"] = km.is_alive()
    res["after_exit"] = run(kc, "1 + 1")
    kc.stop_channels()
    km.restart_kernel(now=True)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    res["after_exit_restart"] = run(kc, "1 + 1")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(res))
