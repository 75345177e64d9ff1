#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Test helpers for the daemon suite: hostile control-socket clients, a NOTIFY_SOCKET listener.
#   daemon-client.py fuzz SOCKET N SEED     N bounded random / oversized / malformed requests; every one
#                                           must get one error reply line (or ok for valid ones)
#   daemon-client.py notify PATH SECONDS    listens on PATH (datagram) and prints what arrives
import json, os, random, socket, sys, time

def ask(path, data, timeout=5):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    return out

def fuzz(path, n, seed):
    rnd = random.Random(seed)
    valid = [b'{"version":1,"cmd":"status"}\n', b'{"version":1,"cmd":"state"}\n']
    bad = 0
    for i in range(n):
        kind = rnd.randrange(6)
        if kind == 0:
            data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 300))) + b"\n"
        elif kind == 1:
            data = b'{"version":1,"cmd":"' + b"A" * rnd.randrange(4000, 20000) + b'"}\n'  # oversized
        elif kind == 2:
            data = b'{"version":' + str(rnd.randrange(-5, 5)).encode() + b',"cmd":"status"}\n'
        elif kind == 3:
            data = b'[' * rnd.randrange(1, 3000) + b"\n"  # deep nesting
        elif kind == 4:
            data = b'{"version":1,"cmd":"snapshot","last_ns":' + rnd.choice([b'-1', b'1e99', b'"x"', b'18446744073709551616']) + b'}\n'
        else:
            data = rnd.choice(valid)
        reply = ask(path, data)
        lines = reply.split(b"\n")
        try:
            first = json.loads(lines[0])
        except Exception:
            print("FAIL daemon.fuzz: request %d (kind %d) got no JSON reply: %r" % (i, kind, reply[:200]))
            return 1
        if first.get("version") != 1 or "ok" not in first:
            print("FAIL daemon.fuzz: reply without version/ok: %r" % reply[:200])
            return 1
        if data in valid and not first["ok"]:
            print("FAIL daemon.fuzz: a valid request was refused: %r" % reply[:200])
            return 1
        bad += not first["ok"]
    print("fuzz: %d requests, %d error replies" % (n, bad))
    return 0

def notify(path, seconds):
    """Prints each notification until STOPPING=1 (or SECONDS pass)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(0.2)
    end = time.time() + seconds
    while time.time() < end:
        try:
            msg = s.recv(4096)
            print(msg.decode(errors="replace").replace("\n", " "), flush=True)
            if b"STOPPING=1" in msg:
                return
        except socket.timeout:
            pass

if __name__ == "__main__":
    if sys.argv[1] == "fuzz":
        sys.exit(fuzz(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    if sys.argv[1] == "notify":
        notify(sys.argv[2], float(sys.argv[3]))

def journal(path, seconds, out, done):
    """A stand-in for journald's native socket: datagrams of KEY=VALUE lines (binary-safe form too), until
    the file DONE exists and nothing came for 0.2 s (or SECONDS pass)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(0.2)
    end = time.time() + seconds
    with open(out, "w") as f:
        while time.time() < end:
            try:
                msg = s.recv(1 << 20)
            except socket.timeout:
                if os.path.exists(done):
                    return
                continue
            fields, i = {}, 0
            while i < len(msg):
                nl = msg.find(b"\n", i)
                if nl < 0:
                    break
                line = msg[i:nl]
                if b"=" in line:
                    k, v = line.split(b"=", 1)
                    i = nl + 1
                else:  # KEY\n<le64 size><value>\n
                    k = line
                    size = int.from_bytes(msg[nl + 1:nl + 9], "little")
                    v = msg[nl + 9:nl + 9 + size]
                    i = nl + 9 + size + 1
                fields[k.decode()] = v.decode(errors="replace")
            f.write(json.dumps(fields) + "\n")
            f.flush()

if __name__ == "__main__" and sys.argv[1] == "journal":
    journal(sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5])
