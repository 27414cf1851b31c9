"""Issue 17's attack and its variants against the real scorelab kernel, through jupyter_client and pyzmq.

After one cell has run, an "attacker" with the ports but not the key subscribes to IOPub and sends forged,
unsigned, replayed and malformed messages on shell and control; then the issue's attack proper: every 64-hex
value seen on IOPub is tried as the signature. Prints one JSON object for forged-messages.test.ts to assert on.
Usage: forged_messages.py WORKDIR   (forged code would write files into WORKDIR)
"""
import hashlib
import hmac
import json
import os
import queue
import random
import re
import sys
import threading
import time
import uuid

import zmq
from jupyter_client.manager import start_new_kernel

HEX64 = re.compile(rb"[0-9a-fA-F]{64}")
DELIM = b"<IDS|MSG>"
work = sys.argv[1]
forged_path = os.path.join(work, "forged-ran")
replay_path = os.path.join(work, "replay-count")
err_path = os.path.join(work, "kernel-stderr.txt")
res = {"sent": {"forged": 0, "unsigned": 0, "replayed": 0, "malformed": 0}}


def parts(msg_type, content):
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": uuid.uuid4().hex, "username": "mallory",
              "version": "5.3", "date": "2026-01-01T00:00:00Z"}
    return [json.dumps(p).encode() for p in (header, {}, {}, content)]


def execute(code):
    return parts("execute_request", {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                     "allow_stdin": False, "stop_on_error": True})


def sign(key, ps, algo=hashlib.sha256):
    h = hmac.new(key, digestmod=algo)
    for p in ps:
        h.update(p)
    return h.hexdigest().encode()


def collect(sock, into, stop):
    """All IOPub traffic, as raw frames, until stop is set."""
    while not stop.is_set():
        if sock.poll(100):
            into.append(sock.recv_multipart())


def wait_file_lines(path):
    return open(path).read().count("\n") if os.path.exists(path) else 0


def run(kc, code, timeout=30.0):
    """Signed execute through jupyter_client: (status, text/plain result)."""
    msg_id = kc.execute(code)
    status, result, deadline = None, None, time.time() + timeout
    while time.time() < deadline and status is None:
        try:
            m = kc.get_shell_msg(timeout=0.2)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") == msg_id:
            status = m["content"]["status"]
    end = time.time() + 5
    while time.time() < end:
        try:
            m = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            break
        if m["parent_header"].get("msg_id") == msg_id:
            if m["msg_type"] == "execute_result":
                result = m["content"]["data"].get("text/plain")
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
    return status, result


def listeners(port):
    """Local addresses (hex, as in /proc/net/tcp*) listening on port."""
    out = []
    for f in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(f).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            addr, p = cols[1].split(":")
            if int(p, 16) == port and cols[3] == "0A":
                out.append(addr)
    return out


errf = open(err_path, "w")
km, kc = start_new_kernel(kernel_name="scorelab", startup_timeout=90, stderr=errf)
ctx = zmq.Context()
socks = []
stop = threading.Event()
try:
    info = km.get_connection_info()
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    res["ip"] = info["ip"]
    res["listeners"] = {name: listeners(info[name]) for name in ("shell_port", "iopub_port", "control_port", "stdin_port", "hb_port")}
    res["first_cell"] = run(kc, "const keep = 41; keep")

    def sock(kind, port):
        s = ctx.socket(kind)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.SNDTIMEO, 2000)
        s.connect(f"tcp://{info['ip']}:{port}")
        socks.append(s)
        return s

    sub = sock(zmq.SUB, info["iopub_port"])
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    iopub = []
    th = threading.Thread(target=collect, args=(sub, iopub, stop), daemon=True)
    th.start()
    shell, control = sock(zmq.DEALER, info["shell_port"]), sock(zmq.DEALER, info["control_port"])
    time.sleep(1.0)  # the subscription and connections settle
    chans = [shell, control]

    def send(kind, frames, chs=chans):
        for c in chs:
            c.send_multipart(frames)
            res["sent"][kind] += 1

    evil = execute(f"require('fs').writeFileSync({json.dumps(forged_path)}, 'ran')")
    good_sig = sign(key, evil)  # known only to the test: near misses of the right signature
    rnd = random.Random(17)
    forged_sigs = [
        bytes(rnd.choice(b"0123456789abcdef") for _ in range(64)), b"0" * 64, good_sig.upper(),
        good_sig[:-1] + (b"0" if good_sig[-1:] != b"0" else b"1"), good_sig[:63], good_sig + b"0",
        sign(key, evil, hashlib.sha512), sign(b"wrong key", evil),
    ]
    for s in forged_sigs:
        send("forged", [DELIM, s, *evil])
    benign = execute("1")
    send("forged", [DELIM, sign(key, benign), *evil[:3], benign[3]])  # signed header, tampered content
    send("forged", [DELIM, forged_sigs[0], *parts("shutdown_request", {"restart": False})], [control])
    send("unsigned", [DELIM, b"", *evil])
    send("unsigned", [DELIM, *evil])

    # Replays: a correctly signed request (as a key holder sent it) again, and the kernel's own IOPub messages.
    once = execute(f"require('fs').appendFileSync({json.dumps(replay_path)}, 'x\\n')")
    legit = [DELIM, sign(key, once), *once]
    shell.send_multipart(legit)
    deadline = time.time() + 30
    while time.time() < deadline and wait_file_lines(replay_path) < 1:
        time.sleep(0.1)
    time.sleep(0.5)
    for _ in range(3):
        send("replayed", legit)
    for frames in list(iopub)[:10]:
        d = frames.index(DELIM)
        send("replayed", frames[d:])

    # Malformed: each on shell and control.
    signed = lambda ps: [DELIM, sign(key, ps), *ps]
    bad = [
        [b"no delimiter here"], [b""], [DELIM], [DELIM, good_sig], [DELIM, good_sig, *evil[:3]], list(evil),
        signed([b"{not json", b"{}", b"{}", b"{}"]), [DELIM, b"0" * 64, b"{not json", b"{}", b"{}", b"{}"],
        signed([b"[]", b"{}", b"{}", b"{}"]), signed([b'{"msg_id": "1"}', b"{}", b"{}", b"{}"]),
        signed([b"\xff\xfe\xfd", b"{}", b"{}", b"{}"]), signed([b"null", b"null", b"null", b"null"]),
        [b"id"] * 40 + [DELIM, good_sig, *evil], [DELIM, forged_sigs[0], *evil, *([b"buf"] * 2000)],
        [DELIM, forged_sigs[0], evil[0], evil[1], evil[2], b"x" * (8 << 20)],
    ]
    bad += [[bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 200))) for _ in range(rnd.randint(1, 9))] for _ in range(20)]
    for frames in bad:
        send("malformed", frames)
    big = sock(zmq.DEALER, info["shell_port"])  # libzmq drops this peer: its part is over the kernel's limit
    big.send_multipart([DELIM, forged_sigs[0], *evil[:3], b"y" * (65 << 20)])
    res["sent"]["malformed"] += 1
    time.sleep(2.0)

    # The attack proper: every 64-hex value seen on IOPub, tried as the signature of the forged request.
    seen = {m.group(0).lower() for frames in iopub for f in frames for m in HEX64.finditer(f)}
    res["attack_candidates"] = len(seen)
    for cand in list(seen)[:100]:
        send("forged", [DELIM, cand, *evil])
    time.sleep(2.0)

    res["forged_ran"] = os.path.exists(forged_path)
    res["replay_runs"] = wait_file_lines(replay_path)
    res["alive"] = km.is_alive()
    res["after"] = run(kc, "keep + 1")
    kc.kernel_info()
    res["kernel_info"] = kc.get_shell_msg(timeout=20)["content"]["status"]
    kc.control_channel.send(kc.session.msg("kernel_info_request"))
    res["control_kernel_info"] = kc.get_control_msg(timeout=20)["content"]["status"]
    replies = []
    for s in (shell, control):
        while s.poll(200):
            replies.append(s.recv_multipart())
    res["attacker_replies"] = len(replies)  # only the one legit request gets one
    time.sleep(0.5)
    stop.set()
    th.join(5)

    # IOPub: each signature frame is the kernel's own (valid HMAC of its message); no 64-hex anywhere else.
    bad_iopub, hex_elsewhere = 0, []
    for frames in iopub:
        d = frames.index(DELIM)
        if frames[d + 1] != sign(key, frames[d + 2:d + 6]):
            bad_iopub += 1
        hex_elsewhere += [m.group(0).decode() for f in frames[:d] + frames[d + 2:] for m in HEX64.finditer(f)]
    res["iopub_messages"] = len(iopub)
    res["iopub_bad_signatures"] = bad_iopub
    res["iopub_hex"] = hex_elsewhere
    expected = [sign(key, evil).decode(), sign(key, benign).decode()]
    res["iopub_expected_sigs"] = sum(e.encode() in f for e in expected for frames in iopub for f in frames)
finally:
    stop.set()
    try:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    finally:
        if km.is_alive():
            km.shutdown_kernel(now=True)
        for s in socks:
            s.close(0)
        ctx.term()
        errf.close()

err = open(err_path, "rb").read()
res["stderr_hex"] = [m.group(0).decode() for m in HEX64.finditer(err)]
res["stderr_expected_sigs"] = sum(e.encode() in err for e in expected)
res["stderr_drop_lines"] = err.count(b"dropped messages")
res["stderr_tail"] = err[-1500:].decode("utf8", "replace")
print(json.dumps(res))
