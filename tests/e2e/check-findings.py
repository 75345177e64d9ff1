#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every error finding names a limit the trace itself proves broken.

  check-findings.py TRACE FINDINGS-JSON

FINDINGS-JSON is `dmabuf-trace check --format json` of TRACE. For each error finding the attachment's map
events in the trace must show the broken limit: not-contiguous -> a map whose segments are not one
back-to-back range (contiguous false, or carried segments with a gap: a walk capped before the end leaves
contiguous unknown, but what it carried can prove the break); segment-size -> a DMA segment longer than the attach's max_seg_size;
late-attach -> one of those on the live mapping of the buffer. Prints "ok NAME<TAB>detail" / "FAIL NAME<TAB>why"
lines like check-trace.py. Exit 1 when a check failed.
"""
import json
import sys


def main(trace, findings):
    evs = [json.loads(l) for l in open(trace, "rb").read().decode("utf-8", "surrogateescape").splitlines() if l.strip()]
    fs = [json.loads(l) for l in open(findings) if l.strip()]
    att = {e["att"]: e for e in evs if e.get("type") == "attach" and "att" in e}
    maps = [e for e in evs if e.get("type") == "map" and "err" not in e]

    def gap(m):  # the carried segments prove it (also when the walk was capped and contiguous is unknown)
        sg = m.get("segs") or []
        return any(sg[i][0] != sg[i - 1][0] + sg[i - 1][1] for i in range(1, len(sg)))

    def longest(m):
        return max([m.get("max_seg", 0)] + [l for _, l in m.get("segs") or []])

    def broken(m, rule, limit_att):
        if rule == "not-contiguous":
            return m.get("contiguous") is False or gap(m)
        if rule == "segment-size":
            return longest(m) > limit_att.get("max_seg_size", 1 << 64)
        return False

    errs, n = [], 0
    for f in fs:
        if f.get("severity") != "error":
            continue
        n += 1
        rule, a = f.get("rule"), f.get("att")
        me = att.get(a, {})
        if rule in ("not-contiguous", "segment-size"):
            ok = any(m["att"] == a and m["ts"] <= f["ts"] and broken(m, rule, me) for m in maps)
        elif rule == "late-attach":  # the live mapping of another attachment breaks this importer's limit
            ok = any(m["buf"] == f["buf"] and m["ts"] <= f["ts"] and
                     (m.get("contiguous") is False or gap(m) or longest(m) > me.get("max_seg_size", 1 << 64)) for m in maps)
        else:
            ok = False
        if not ok:
            errs.append("%s on buf %s att %s (%s): the trace shows no map breaking it" % (rule, f.get("buf"), a, f.get("dev")))
    print("%s every error finding names a limit the trace proves broken\t%s" %
          ("FAIL" if errs else "ok", "; ".join(errs[:4]) if errs else "%d error finding(s)" % n))
    return 1 if errs else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1], sys.argv[2]))
    except (OSError, IndexError, KeyError, ValueError) as e:
        print("FAIL check-findings ran\t%s: %s" % (type(e).__name__, e))
        sys.exit(2)
