#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check-race.py TRACE.jsonl DRIVER.log FINDINGS.jsonl [--rule live|first-map]

The race scenario (dmabuf-exercise race): threads import one udmabuf into vgem and virtio-gpu at once and record
CLOCK_BOOTTIME right before (t0) and after (t1) their import ioctl — the driver's own view. Checks the recorded
trace against it and prints "ok NAME<TAB>detail" / "FAIL NAME<TAB>why" lines:
  - the stream is in kernel order: seq increasing, ts never going back outside late:true events;
  - the threads really overlapped (rounds where every import was in flight at one moment), and the traced
    attach/map of each import lies inside that import's [t0, t1];
  - late-attach: for every attach whose order the driver's intervals decide, check's finding matches the
    expectation, and the counts are equal. --rule live (this branch's rule): an attach while another
    attachment's mapping is live (vgem keeps its mapping until GEM close, virtio-gpu unmaps before its ioctl
    returns); --rule first-map: once per (buffer, device) when the device's first attach comes after another
    device's first map.
"""
import json
import sys


def load(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def main():
    args = sys.argv[1:]
    rule = "live"
    if "--rule" in args:
        i = args.index("--rule")
        rule = args[i + 1]
        del args[i:i + 2]
    trace = [e for e in load(args[0]) if e.get("type") not in ("header", "end")]
    drv = load(args[1])
    findings = load(args[2])
    res = []

    def t(name, cond, detail):
        res.append(("ok " if cond else "FAIL ") + name + "\t" + detail)

    # --- kernel order
    inv, late, last_ts, last_seq, seq_bad = 0, 0, None, 0, 0
    for e in trace:
        if e["seq"] <= last_seq:
            seq_bad += 1
        last_seq = e["seq"]
        if e.get("late"):
            late += 1
            continue
        if last_ts is not None and e["ts"] < last_ts:
            inv += 1
        last_ts = e["ts"] if last_ts is None else max(last_ts, e["ts"])
    t("kernel order: seq strictly increasing", seq_bad == 0, "%d events" % len(trace))
    t("kernel order: zero ts inversions outside late events", inv == 0, "%d inversions, %d late events" % (inv, late))

    # --- the driver's view
    races = [l for l in drv if l.get("step") == "race"]
    rounds = {}
    for r in races:
        rounds.setdefault(r["round"], []).append(r)
    overl = sum(1 for rs in rounds.values() if max(r["t0"] for r in rs) < min(r["t1"] for r in rs))
    t("threads overlapped (every import in flight at one moment)", overl > 0,
      "%d of %d rounds" % (overl, len(rounds)))

    by_key = {(r["buf"], r["tid"]): r for r in races}
    atts = {}  # att id -> (driver race line, attach event)
    outside = []
    for e in trace:
        if e["type"] in ("attach", "map") and (e.get("buf"), e.get("tid")) in by_key:
            r = by_key[(e["buf"], e["tid"])]
            if not (r["t0"] <= e["ts"] <= r["t1"]):
                outside.append("%s seq %d ts %d not in [%d, %d]" % (e["type"], e["seq"], e["ts"], r["t0"], r["t1"]))
            if e["type"] == "attach" and "att" in e:
                atts[e["att"]] = (r, e)
    nimports = len(races)
    lost = sum(e.get("count", 0) for e in trace if e["type"] == "lost" and e.get("cause") != "att-ids")
    t("every import traced (one attach each) or counted lost", len(atts) <= nimports and nimports - len(atts) <= lost,
      "%d attaches, %d imports, %d events counted lost" % (len(atts), nimports, lost))
    t("traced attach/map inside the import's own [t0, t1]", not outside, "; ".join(outside[:3]) or "%d events" % (2 * len(atts)))

    # --- late-attach against the driver's view
    late_atts = {f["att"] for f in findings if f.get("rule") == "late-attach" and f.get("att") is not None}
    late_bufdev = {(f["buf"], f.get("dev")) for f in findings if f.get("rule") == "late-attach"}
    decided = exp_late = got_late = mism = undecided = 0
    details = []
    if rule == "live":
        for att, (r, e) in atts.items():
            others = [o for o in rounds[r["round"]] if o["thread"] != r["thread"]]
            sure_late = any(o["driver"] == "vgem" and o["ok"] and o["t1"] < r["t0"] for o in others)
            sure_not = all((o["t0"] > r["t1"]) if o["driver"] == "vgem" else (o["t1"] < r["t0"] or o["t0"] > r["t1"])
                           for o in others)
            if not (sure_late or sure_not):
                undecided += 1
                continue
            decided += 1
            got = att in late_atts
            exp_late += sure_late
            got_late += got
            if got != sure_late:
                mism += 1
                details.append("round %d thread %d (%s): expected %s" % (r["round"], r["thread"], r["driver"],
                                                                          "late" if sure_late else "not late"))
    else:
        for n, rs in rounds.items():
            buf = rs[0]["buf"]
            for dev in sorted({x["importer"] for x in rs}):
                mine = [x for x in rs if x["importer"] == dev]
                theirs = [x for x in rs if x["importer"] != dev]
                # the device's first attach against another device's first map (the placement)
                sure_late = min(o["t1"] for o in theirs) < min(m["t0"] for m in mine)
                sure_not = min(m["t1"] for m in mine) < min(o["t0"] for o in theirs)
                if not (sure_late or sure_not):
                    undecided += 1
                    continue
                decided += 1
                got = (buf, dev) in late_bufdev
                exp_late += sure_late
                got_late += got
                if got != sure_late:
                    mism += 1
                    details.append("round %d %s: expected %s" % (n, dev, "late" if sure_late else "not late"))
    t("late-attach (%s rule) count equals the driver's view where its intervals decide" % rule,
      mism == 0 and exp_late == got_late and decided > 0,
      "expected %d, check found %d, over %d decided (%d undecided: overlapping imports)%s" %
      (exp_late, got_late, decided, undecided, ("; " + "; ".join(details[:3])) if details else ""))

    # --- the same trace in ts order gives the same late-attach findings (the stream's order is the kernel's)
    live = {}  # att -> mapped
    buf_of = {}
    replay_late = set()
    for e in sorted(trace, key=lambda e: (e["ts"], e["seq"])):
        a = e.get("att")
        if e["type"] == "attach" and a is not None:
            buf_of[a] = e["buf"]
            if any(m and buf_of.get(o) == e["buf"] for o, m in live.items() if o != a):
                replay_late.add(a)
            live[a] = False
        elif e["type"] == "map" and a is not None and "err" not in e:
            live[a] = True
        elif e["type"] == "unmap" and a is not None:
            live[a] = False
        elif e["type"] == "detach" and a is not None:
            live.pop(a, None)
    # first-map: a device's first attach after another device's first successful map, once per (buffer, device)
    first_map = {}  # buf -> dev of the first successful map
    dev_of = {}
    seen_dev = set()
    replay_bufdev = set()
    for e in sorted(trace, key=lambda e: (e["ts"], e["seq"])):
        a = e.get("att")
        if e["type"] == "attach" and a is not None:
            dev_of[a] = e["dev"]
            key = (e["buf"], e["dev"])
            if key not in seen_dev:
                seen_dev.add(key)
                if e["buf"] in first_map and first_map[e["buf"]] != e["dev"]:
                    replay_bufdev.add(key)
        elif e["type"] == "map" and a is not None and "err" not in e and e["buf"] not in first_map:
            first_map[e["buf"]] = dev_of.get(a)
    if rule == "first-map":
        race_bufs = {r["buf"] for r in races}
        ours = {k for k in late_bufdev if k[0] in race_bufs}
        t("check's late-attaches equal a replay of the trace in ts order", ours == {k for k in replay_bufdev if k[0] in race_bufs},
          "check %d, replay %d" % (len(ours), len({k for k in replay_bufdev if k[0] in race_bufs})))
    if rule == "live":
        ours = late_atts & set(atts)
        t("check's late-attaches equal a replay of the trace in ts order", ours == (replay_late & set(atts)),
          "check %d, replay %d" % (len(ours), len(replay_late & set(atts))))
    print("\n".join(res))


if __name__ == "__main__":
    main()
