#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check-kmod.py MODE TRACE.jsonl DRIVER.log RECORD.err FINDINGS.jsonl

The test exporter's scenarios (tests/kmod/dt_testexp.ko; dmabuf-exercise nested attach-error) traced in MODE
(fentry or kprobe). Compares the trace with the module's own counters (the driver's "module" lines) and
prints "ok NAME<TAB>detail" / "FAIL NAME<TAB>why" lines:
  nested        a vgem import of a proxy buffer attaches and maps the inner udmabuf inside the proxy's attach
                and map, in the same task; the module vmaps the proxy (and, nested, the udmabuf). fentry: every
                outer and inner event is written; kprobe: attaches come from their return value, outer maps
                find their own entry frame, an outer vmap is counted lost as "nested", exactly as the module saw.
  attach-error  vgem imports a dynamic buffer whose attach-time map fails: one attach event with the error per
                refused import, no event for the detach the kernel's attach error path made (the recorder
                says it folded exactly those), no unknown-attachment finding, a map-failed finding per refusal;
                the later successful import's map is the attach's cached mapping (cached:true).
"""
import json
import re
import sys


def load(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                out.append(json.loads(line))
    return out


def main():
    mode, tpath, dpath, epath, fpath = sys.argv[1:6]
    trace = [e for e in load(tpath) if e.get("type") not in ("header", "end")]
    drv = load(dpath)
    findings = [f for f in load(fpath) if "rule" in f]
    res = []

    def check(name, cond, detail):
        res.append(("ok " if cond else "FAIL ") + name + "\t" + detail)

    def of(typ, bufs, pred=lambda e: True):
        return [e for e in trace if e["type"] == typ and e.get("buf") in bufs and pred(e)]

    mods = {d["scenario"]: d["counters"] for d in drv if d.get("step") == "module"}
    nested = next((d for d in drv if d.get("step") == "nested"), None)
    aerr = next((d for d in drv if d.get("step") == "attach-error"), None)
    lost = [e for e in trace if e["type"] == "lost"]
    nested_lost = sum(e["count"] for e in lost if e.get("cause") == "nested")
    other_lost = sum(e["count"] for e in lost if e.get("cause") != "nested")

    if not nested or "nested" not in mods:
        check("nested: the scenario ran", False, "no nested/module line in the driver's log")
    else:
        m = mods["nested"]
        p, i, n = nested["buf"], nested["inner"], nested["imports"]
        pa, ia = of("attach", {p}), of("attach", {i})
        pm, im = of("map", {p}), of("map", {i})
        pv, iv = of("vmap", {p}), of("vmap", {i})
        check("nested: the module nested every attach and map (driver)", m["inner_attach"] == n and m["inner_map"] == n
              and m["cb_proxy_map"] == n, f"{n} imports: module nested {m['inner_attach']} attaches, {m['inner_map']} maps, {m['inner_vmap']} vmaps")
        check("nested: every outer and inner attach written", len(pa) == m["cb_proxy_attach"] and len(ia) == m["inner_attach"],
              f"proxy {len(pa)}/{m['cb_proxy_attach']}, inner {len(ia)}/{m['inner_attach']}")
        check("nested: every inner map and vmap written", len(im) == m["inner_map"] and len(iv) == m["inner_vmap"],
              f"inner maps {len(im)}/{m['inner_map']}, vmaps {len(iv)}/{m['inner_vmap']}")
        outer = m["cb_proxy_map"] + m["cb_proxy_vmap"]
        if mode == "fentry":
            check("nested: every outer map and vmap written (fexit has the arguments)", len(pm) + len(pv) == outer
                  and nested_lost == 0, f"proxy maps {len(pm)}, vmaps {len(pv)} of {outer}; nested lost {nested_lost}")
        else:
            check("nested: every outer map written (its return found its own frame)", len(pm) == m["cb_proxy_map"],
                  f"proxy maps {len(pm)} of {m['cb_proxy_map']}")
            check("nested: outer vmaps written or counted lost as nested, exactly",
                  len(pv) + nested_lost == m["cb_proxy_vmap"],
                  f"proxy vmaps {len(pv)} written, {nested_lost} counted lost (nested) of {m['cb_proxy_vmap']}")
        check("nested: no other loss", other_lost == 0, f"{other_lost} lost with other causes")
        inner_att = {e["att"] for e in ia if "att" in e}
        check("nested: inner unmaps and detaches on the attachments the inner attaches made",
              len(of("unmap", {i}, lambda e: e.get("att") in inner_att)) == m["inner_unmap"] and
              len(of("detach", {i}, lambda e: e.get("att") in inner_att)) == m["inner_detach"],
              f"{len(inner_att)} inner attachments")
        bad = [f for f in findings if f["rule"] == "unknown-attachment" and f.get("buf") in (p, i)]
        check("nested: no unknown-attachment finding", not bad, "; ".join(f["message"] for f in bad[:3]) or "0 findings")

    if not aerr or "attach-error" not in mods:
        check("attach-error: the scenario ran", False, "no attach-error/module line in the driver's log")
        return res
    m = mods["attach-error"]
    dyn = {d["buf"] for d in drv if d.get("step") == "export" and d.get("scenario") == "attach-error"}
    failed = of("attach", dyn, lambda e: "err" in e)
    okatt = of("attach", dyn, lambda e: "err" not in e)
    check("attach-error: the kernel's error path detached each refused attachment (driver)",
          m["cb_dyn_premap_failed"] == aerr["refused"] == aerr["rounds"] and aerr["error_path_detaches"] == aerr["refused"],
          f"refused {aerr['refused']}, pre-map failures {m['cb_dyn_premap_failed']}, error-path detaches {aerr['error_path_detaches']}")
    check("attach-error: one failed attach event per refused import (vgem, -ENOSPC)",
          len(failed) == aerr["refused"] and all(e["err"] == -28 and e.get("dev") == "vgem" for e in failed),
          f"{len(failed)} failed attaches of {aerr['refused']}")
    det = of("detach", dyn)
    check("attach-error: no detach event for the error path's detaches", len(det) == len(okatt) == aerr["later_ok"],
          f"{len(det)} detaches, {len(okatt)} attaches, {aerr['later_ok']} imports kept")
    fm = re.search(r"bpf_stats: event programs ran \d+ times.* (\d+) folded", open(epath, errors="replace").read())
    folded = int(fm.group(1)) if fm else -1
    check("attach-error: the recorder folded exactly the error path's detaches", folded == aerr["error_path_detaches"],
          f"folded {folded}, error-path detaches {aerr['error_path_detaches']}")
    bad = [f for f in findings if f["rule"] == "unknown-attachment" and f.get("buf") in dyn]
    check("attach-error: no unknown-attachment finding", not bad, "; ".join(f["message"] for f in bad[:3]) or "0 findings")
    mf = [f for f in findings if f["rule"] == "map-failed" and f.get("buf") in dyn]
    check("attach-error: the failed attach is visible as such (a map-failed finding per refusal)",
          len(mf) == aerr["refused"], f"{len(mf)} map-failed findings, e.g. {mf[0]['message'] if mf else '-'}")
    cached = of("map", dyn, lambda e: e.get("cached") is True)
    check("attach-error: vgem's map returned the attach's cached mapping (cached:true)",
          len(cached) == aerr["later_ok"] == len(of("map", dyn)), f"{len(cached)} cached of {len(of('map', dyn))} maps")
    return res


if __name__ == "__main__":
    for line in main():
        print(line)
