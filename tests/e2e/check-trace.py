#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Field checks of one recorded trace (format v1) against the scenario driver's own view of the same run.

  check-trace.py TRACE DRIVER-LOG [--dmatrace FILE] [--bufinfo FILE]...

TRACE is what `dmabuf-trace record` wrote, DRIVER-LOG dmabuf-exercise's JSON lines (fstat inode and requested
size of every export, the importer device of every import), --dmatrace the kernel's own dma:dma_map_sg ftrace
lines (6.12+), --bufinfo debugfs dma_buf/bufinfo snapshots. The trace-format port of
tests/capture/check-capture.py (which reads dt-capture-dump output).

Prints one line per check, "ok NAME<TAB>detail" or "FAIL NAME<TAB>why" (tests/e2e/run turns them into its own
ok/FAIL lines), then "stats ..." with what was compared. Exit 1 when a check failed, 2 on unreadable input.
"""
import json
import re
import sys
from collections import Counter, defaultdict

ULONG_MAX = (1 << 64) - 1
KADDR = 0xFFFF800000000000  # lowest x86-64 kernel address
KADDR_HEX = re.compile(r"0x[fF]{4}[0-9a-fA-F]{12}")
FRAME = re.compile(r"^[A-Za-z_.][\w.]*\+0x[0-9a-f]+( \[[\w-]+\])?$")
MAX_SEGS = 64  # record's default --max-segs
# dmabuf-exercise's exporter label -> the kernel's exp_name
EXP_NAME = {"vivid-dma-contig": "videobuf2_dma_contig", "vivid-vmalloc": "videobuf2_vmalloc", "vgem": "drm",
            "system-heap": "system", "udmabuf": "udmabuf"}
# importer device -> (driver, bus, max_seg_size, seg_boundary_mask, dma_parms (False: the platform devices
# never set max_segment_size, so 64 KiB is the kernel's default), dir of its maps, innermost
# attach frame, innermost map frame); virtio-gpu is added under its PCI name from the driver's start line
DEV = {
    "vivid.0": ("vivid", "platform", 65536, ULONG_MAX, False, "from_device", "vb2_dc_attach_dmabuf", "vb2_dc_map_dmabuf"),
    "vgem": (None, "platform", 65536, ULONG_MAX, False, "bidirectional", "drm_gem_prime_import_dev", "drm_gem_prime_import_dev"),
}
# From 7.x vgem's device sits on the faux bus (driver faux_driver) and its PRIME import only attaches
# (drm_gem_shmem_prime_import_no_map): no map, so its attachments go attach -> detach.
VGEM_7 = ("faux_driver", "faux", 65536, ULONG_MAX, False, "bidirectional",
          "drm_gem_shmem_prime_import_no_map", "drm_gem_shmem_prime_import_no_map")
VIRTIO_GPU = ("virtio-pci", "pci", 4294967295, 4294967295, True, "bidirectional", "drm_gem_prime_import_dev",
              "drm_gem_prime_import_dev")
# Before 5.15-ish virtio-gpu's DRM device is its virtio device (sysfs: bus virtio, driver virtio_gpu), which
# has no dma_parms (the kernel's 64 KiB default, boundary ULONG_MAX) and no DMA mask: importers' maps fail there.
VIRTIO_GPU_ON_VIRTIO = ("virtio_gpu", "virtio", 65536, ULONG_MAX, False, "bidirectional", "drm_gem_prime_import_dev",
                        "drm_gem_prime_import_dev")
DEV_FIELDS = ("driver", "bus", "max_seg_size", "seg_boundary_mask", "dma_parms")
# compiler clones of a function: drm_gem_prime_import_dev.part.0 is drm_gem_prime_import_dev (src/common/event.c)
CLONE = r"(?:\.(?:part|isra|constprop|llvm)\.\d+|\.cold)*"


def frame_is(frame, symbol):
    return re.match(re.escape(symbol) + CLONE + r"(?:\+0x|$| )", frame) is not None


def main(argv):
    trace, log = argv[1], argv[2]
    dmatrace, bufinfos = None, []
    i = 3
    while i < len(argv):
        if argv[i] == "--dmatrace":
            dmatrace = argv[i + 1]
        elif argv[i] == "--bufinfo":
            bufinfos.append(argv[i + 1])
        else:
            sys.exit("check-trace: unknown argument %s" % argv[i])
        i += 2

    results = []  # (ok, name, detail)

    def check(name, errs, detail=""):
        errs = [e for e in errs if e]
        results.append((not errs, name, "; ".join(errs[:6]) + (" (+%d more)" % (len(errs) - 6) if len(errs) > 6 else "")
                        if errs else detail))

    # --- read ---------------------------------------------------------------------------------------------
    lines = open(trace, "rb").read().decode("utf-8", "surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        recs = [json.loads(l) for l in lines]
    except ValueError as e:
        print("FAIL trace is JSON\t%s" % e)
        return 1
    steps = []
    for l in open(log):
        try:
            steps.append(json.loads(l))
        except ValueError:
            pass
    header, evs, end = recs[0], [], None
    for r in recs[1:]:
        if r.get("type") == "end":
            end = r
        else:
            evs.append(r)
    start = next((s for s in steps if s.get("step") == "start"), {})
    devs = dict(DEV)
    kmajor = int(re.match(r"(\d+)", header.get("kernel", "0")).group(1)) if re.match(r"\d+", header.get("kernel", "")) else 0
    attach_only = set()  # importers that attach without mapping on this kernel
    if kmajor >= 7:
        devs["vgem"] = VGEM_7
        attach_only.add("vgem")
    if start.get("virtio_gpu"):
        # the device as the driver saw it in sysfs (its bus and driver); older driver logs name only the device
        bus = start.get("virtio_gpu_bus", "pci")
        vg = VIRTIO_GPU_ON_VIRTIO if bus == "virtio" else VIRTIO_GPU
        if start.get("virtio_gpu_driver"):
            vg = (start["virtio_gpu_driver"],) + vg[1:]
        devs[start["virtio_gpu"]] = vg

    cnt = Counter(e["type"] for e in evs)
    by_buf, by_att = defaultdict(list), defaultdict(list)
    for e in evs:
        if "buf" in e:
            by_buf[e["buf"]].append(e)
        if "att" in e:
            by_att[e["att"]].append(e)

    # --- header, end line, lost -----------------------------------------------------------------------------
    check("header", [None if header.get("type") == "header" and header.get("version") == 1 and
                     header.get("clock") == "boottime" and header.get("ends") is True else "header %s" % lines[0][:200]])
    check("end line last, counts the events, no loss",
          ["no end line" if end is None else None,
           "end is not the last line" if end is not None and recs[-1] is not end else None,
           "end.events %s != %d events" % (end.get("events"), len(evs)) if end and end.get("events") != len(evs) else None,
           "end.lost %s" % end.get("lost") if end and end.get("lost") else None,
           "%d lost events" % cnt["lost"] if cnt["lost"] else None],
          "%d events" % len(evs))
    seqs = [e.get("seq") for e in evs]
    check("seq strictly increasing", ["seq %s after %s" % (b, a) for a, b in zip(seqs, seqs[1:]) if not b > a][:3])

    # --- no kernel pointers ----------------------------------------------------------------------------------
    kerr = []

    def scan(v, path, n):
        if isinstance(v, bool):
            return
        if isinstance(v, int):
            if v >= KADDR and not (path in ("seg_boundary_mask", "max_seg_size") and v == ULONG_MAX):
                kerr.append("line %d %s=%#x" % (n, path, v))
        elif isinstance(v, dict):
            for k, x in v.items():
                scan(x, k, n)
        elif isinstance(v, list):
            for x in v:
                scan(x, path, n)
    for n, (l, r) in enumerate(zip(lines, recs), 1):
        if KADDR_HEX.search(l):
            kerr.append("line %d: %s" % (n, KADDR_HEX.search(l).group(0)))
        scan(r, "", n)
    check("no kernel address", kerr, "%d lines scanned" % len(lines))

    # --- exports: one per driver export, inode = fstat inode, size = requested, exporter --------------------
    exports = [s for s in steps if s.get("step") == "export"]
    err = []
    nf = 0
    for s in exports:
        ex = [e for e in by_buf[s["buf"]] if e["type"] == "export"]
        if len(ex) != 1:
            err.append("buf %d (%s): %d export events" % (s["buf"], s["exporter"], len(ex)))
            continue
        e = ex[0]
        want = EXP_NAME.get(s["exporter"], s["exporter"])
        if e.get("size") != s["size"]:
            err.append("buf %d: size %s, driver asked %d" % (s["buf"], e.get("size"), s["size"]))
        if e.get("exporter") != want:
            err.append("buf %d: exporter %r, want %r (%s)" % (s["buf"], e.get("exporter"), want, s["exporter"]))
        if start.get("pid") and e.get("pid") != start["pid"]:
            err.append("buf %d: export pid %s, driver pid %s" % (s["buf"], e.get("pid"), start["pid"]))
        nf += 4
    driver_bufs = set(s["buf"] for s in exports)
    err += ["export of buf %s that the driver did not export" % e["buf"] for e in evs
            if e["type"] == "export" and e["buf"] not in driver_bufs]
    check("export: inode, size, exporter, pid of every driver export", err,
          "%d exports, %d fields" % (len(exports), nf))

    # --- attach: one per import on the importer's device, device fields -------------------------------------
    imports = [s for s in steps if s.get("step") == "import" and s.get("allocator") != "vmalloc"]
    storm = next((s for s in steps if s.get("step") == "storm"), None)
    err = []
    want_att = Counter((s["buf"], s["importer"]) for s in imports)
    if storm:
        want_att[(storm["buf"], "vivid.0")] += storm["cycles"]
        want_att[(storm["buf"], "vgem")] += storm["cycles"]
    attaches = [e for e in evs if e["type"] == "attach"]
    got_att = Counter((e["buf"], e.get("dev")) for e in attaches)
    for k in sorted(set(want_att) | set(got_att), key=str):
        if want_att[k] != got_att[k]:
            err.append("buf %s dev %s: %d attach events for %d imports" % (k[0], k[1], got_att[k], want_att[k]))
    # each import's attach happened between the driver's previous line and the import line (same clock)
    prev = None
    for s in steps:
        if s.get("step") == "import" and s.get("allocator") != "vmalloc" and prev is not None:
            lo, hi = prev.get("boot_ns"), s.get("boot_ns")
            if lo and hi and not [e for e in attaches if e["buf"] == s["buf"] and e.get("dev") == s["importer"]
                                  and lo < e["ts"] <= hi]:
                err.append("buf %d: no attach by %s between the driver's lines (%d, %d]" % (s["buf"], s["importer"], lo, hi))
        prev = s
    check("attach: one per import on the importer's device, in time", err,
          "%d attaches for %d imports%s" % (len(attaches), len(imports), " + storm %d cycles x2" % storm["cycles"] if storm else ""))
    err = []
    nf = 0
    for e in attaches:
        if "err" in e:
            continue
        d = devs.get(e.get("dev"))
        if d is None:
            err.append("att %s: unexpected device %r" % (e.get("att"), e.get("dev")))
            continue
        for k, v in zip(DEV_FIELDS, d):
            if e.get(k, "absent") != v:
                err.append("att %s dev %s: %s=%r, want %r" % (e.get("att"), e["dev"], k, e.get(k, "absent"), v))
        if e.get("dynamic") is not False:
            err.append("att %s: dynamic=%r" % (e.get("att"), e.get("dynamic")))
        nf += len(DEV_FIELDS) + 2
    check("attach: device name, driver, bus, max_seg_size, boundary mask, dma_parms", err,
          "%d attaches, %d fields; devices %s" % (len(attaches), nf, dict(Counter(e.get("dev") for e in attaches))))

    # --- per attachment: attach, map..., unmap..., detach of the same att ------------------------------------
    err = []
    att_dev = {e["att"]: e for e in attaches if "att" in e}
    for a, es in by_att.items():
        t = [e["type"] for e in es]
        if a not in att_dev or t[0] != "attach":
            err.append("att %s: events before/without its attach: %s" % (a, t[:5]))
            continue
        no_map = att_dev[a].get("dev") in attach_only
        # a map the kernel refused (err) leaves nothing to unmap: attach, map (failed), detach is whole
        mapped_ok = [e for e in es if e["type"] == "map" and "err" not in e]
        if no_map and "map" in t:
            err.append("att %s (%s): mapped, but this importer only attaches on this kernel: %s" % (a, att_dev[a]["dev"], t[:8]))
        elif (t.count("attach") != 1 or not no_map and ("map" not in t or mapped_ok and "unmap" not in t)
              or t[-1] != "detach" or t.count("detach") != 1):
            err.append("att %s (%s): sequence %s" % (a, att_dev[a]["dev"], t[:8]))
        for e in es[1:]:
            if e["buf"] != att_dev[a]["buf"]:
                err.append("att %s: %s on buf %s, attached to buf %s" % (a, e["type"], e["buf"], att_dev[a]["buf"]))
        mapped = 0
        for x in (("map!" if e["type"] == "map" and "err" in e else e["type"]) for e in es[1:]):  # no unmap without a map before it
            mapped += (x == "map") - (x == "unmap")
            if mapped < 0:
                err.append("att %s: unmap without map: %s" % (a, t[:8]))
                break
    check("map/unmap/detach of the same att follow the attach", err, "%d attachments" % len(by_att))

    # --- map fields: the whole-view walk is consistent with the carried segments ----------------------------
    size_of = {e["buf"]: e.get("size") for e in evs if e["type"] == "export"}
    maps = [e for e in evs if e["type"] == "map" and "err" not in e]
    err = []
    nf = maxseg = 0
    for e in maps:
        a, segs = e["att"], e.get("segs", [])
        n, on, tot = e.get("nents"), e.get("orig_nents"), e.get("segs_total", e.get("nents"))
        w = "map att=%s" % a
        maxseg = max(maxseg, tot)
        if not n >= 1 or on is None or n > on:
            err.append("%s: nents %s > orig_nents %s" % (w, n, on))
        if tot != n:
            err.append("%s: segs_total %s != nents %s" % (w, tot, n))
        capped = e.get("walk_capped")
        if capped is not None:
            # the kernel walked only `capped` entries (without bpf_loop: a bounded loop): the whole-view fields
            # are unknown, never guessed, and what was carried is what was walked
            if not 0 < capped < n:
                err.append("%s: walk_capped %s with nents %s" % (w, capped, n))
            for k in ("len", "max_seg", "contiguous", "boundary_crossings"):
                if k in e:
                    err.append("%s: walk capped at %s but %s=%s" % (w, capped, k, e[k]))
            if len(segs) != min(capped, MAX_SEGS):
                err.append("%s: %d segs carried for %d walked" % (w, len(segs), capped))
            if segs and sum(l for _, l in segs) > size_of.get(e["buf"], 0):
                err.append("%s: carried segs longer than the buffer" % w)
            d = devs.get(att_dev.get(a, {}).get("dev"))
            if d and e.get("dir") != d[5]:
                err.append("%s: dir %s, want %s" % (w, e.get("dir"), d[5]))
            nf += 4
            continue
        if len(segs) != min(tot, MAX_SEGS):
            err.append("%s: %d segs carried for %d" % (w, len(segs), tot))
        if e.get("len") != size_of.get(e["buf"]):
            err.append("%s: len %s != buffer size %s" % (w, e.get("len"), size_of.get(e["buf"])))
        if not 0 < e.get("max_seg", 0) <= e.get("len", 0):
            err.append("%s: max_seg %s, len %s" % (w, e.get("max_seg"), e.get("len")))
        if n == 1 and (e.get("contiguous") is not True or e.get("max_seg") != e.get("len")):
            err.append("%s: one segment but contiguous=%s max_seg=%s len=%s" % (w, e.get("contiguous"), e.get("max_seg"), e.get("len")))
        if len(segs) == tot:
            if sum(l for _, l in segs) != e.get("len"):
                err.append("%s: segs sum %d != len %s" % (w, sum(l for _, l in segs), e.get("len")))
            if max(l for _, l in segs) != e.get("max_seg"):
                err.append("%s: max of segs != max_seg %s" % (w, e.get("max_seg")))
            contig = all(segs[i][0] == segs[i - 1][0] + segs[i - 1][1] for i in range(1, len(segs)))
            if contig != e.get("contiguous"):
                err.append("%s: contiguous=%s, segs say %s" % (w, e.get("contiguous"), contig))
        else:
            if max(l for _, l in segs) > e.get("max_seg", 0) or sum(l for _, l in segs) > e.get("len", 0):
                err.append("%s: carried segs exceed max_seg/len" % w)
            if e.get("contiguous") and not all(segs[i][0] == segs[i - 1][0] + segs[i - 1][1] for i in range(1, len(segs))):
                err.append("%s: contiguous but carried segs are not" % w)
        if e.get("boundary_crossings") != 0:  # no importer here has a mask below guest RAM
            err.append("%s: boundary_crossings %s" % (w, e.get("boundary_crossings")))
        d = devs.get(att_dev.get(a, {}).get("dev"))
        if d and e.get("dir") != d[5]:
            err.append("%s: dir %s, want %s" % (w, e.get("dir"), d[5]))
        nf += 10
    # cached mappings: up to 6.14 the kernel's attach->sgt tells them (cached true, or absent: fresh); from 6.15
    # there is no attach->sgt and every successful map must say it cannot tell (cached_known false), never "fresh"
    kv = re.match(r"(\d+)\.(\d+)", header.get("kernel", ""))
    no_sgt = kv is not None and (int(kv.group(1)), int(kv.group(2))) >= (6, 15)
    for e in maps:
        if no_sgt and (e.get("cached_known") is not False or "cached" in e):
            err.append("map att=%s: kernel %s has no attach->sgt but cached=%s cached_known=%s"
                       % (e["att"], header.get("kernel"), e.get("cached"), e.get("cached_known")))
        if not no_sgt and "cached_known" in e:
            err.append("map att=%s: kernel %s has attach->sgt but cached_known=%s" % (e["att"], header.get("kernel"), e["cached_known"]))
    check("map: nents <= orig_nents, segs_total/segs/len/max_seg/contiguous consistent, dir, cached known exactly where attach->sgt exists", err,
          "%d maps, %d fields; most segments in one map %d" % (len(maps), nf, maxseg))

    # --- the kernel's own dma:dma_map_sg line (6.12+): nents=A/B ents=C/D, B = orig_nents, D = nents ---------
    if dmatrace:
        ft = defaultdict(list)
        for l in open(dmatrace, errors="replace"):
            m = re.search(r"dma_map_sg: (\S+) dir=\S+ nents=\d+/(\d+) ents=\d+/(\d+)", l)
            if m:
                ft[m.group(1)].append((int(m.group(2)), int(m.group(3))))
        mine = defaultdict(list)
        for e in maps:
            if not e.get("cached") and e["att"] in att_dev:
                mine[att_dev[e["att"]]["dev"]].append(e)
        err = []
        matched = 0
        for dev, ms in mine.items():
            k = ft.get(dev, [])
            if len(k) == len(ms):  # one dma_map_sg per dma-buf map of this device: pair them in order
                for e, (on, n) in zip(ms, k):
                    if (e["orig_nents"], e["nents"]) != (on, n):
                        err.append("%s map att=%s: %s/%s, kernel dma_map_sg %d/%d" % (dev, e["att"], e["orig_nents"], e["nents"], on, n))
                    else:
                        matched += 1
            else:  # other DMA maps of the device in between: each map must find its line, in order
                j = 0
                for e in ms:
                    while j < len(k) and k[j] != (e["orig_nents"], e["nents"]):
                        j += 1
                    if j == len(k):
                        err.append("%s map att=%s %s/%s: no such dma_map_sg line (%d lines for %d maps)"
                                   % (dev, e["att"], e["orig_nents"], e["nents"], len(k), len(ms)))
                        break
                    matched += 1
                    j += 1
        check("map: orig_nents/nents equal the kernel's dma:dma_map_sg", err,
              "%d of %d maps matched to %d ftrace lines" % (matched, len(maps), sum(len(v) for v in ft.values())))

    # --- release: every closed buffer, once, after its last attachment event ---------------------------------
    err = []
    for s in exports:
        evb = by_buf[s["buf"]]
        rel = [i for i, e in enumerate(evb) if e["type"] == "release"]
        if len(rel) != 1:
            err.append("buf %d: %d release events" % (s["buf"], len(rel)))
        elif rel[0] != len(evb) - 1:
            err.append("buf %d: %s after the release" % (s["buf"], evb[-1]["type"]))
    err += ["release of buf %s never exported" % e["buf"] for e in evs if e["type"] == "release" and e["buf"] not in driver_bufs]
    check("release: every closed buffer, once, last", err, "%d releases" % cnt["release"])

    # --- who did it: pid of the driver, symbolized stacks ----------------------------------------------------
    err = []
    nst = 0
    comm = None if start.get("scenario") == "setname" else "dmabuf-exercise"  # setname sets a hostile comm
    for e in evs:
        if e["type"] in ("attach", "map") and "err" not in e:
            st = e.get("stack") or []
            w = "%s att=%s" % (e["type"], e.get("att"))
            if start.get("pid") and e.get("pid") != start["pid"] or comm and e.get("comm") != comm or not e.get("comm"):
                err.append("%s: pid %s comm %r" % (w, e.get("pid"), e.get("comm")))
            if len(st) < 3:
                err.append("%s: stack %s" % (w, st))
                continue
            bad = [f for f in st if not FRAME.match(f)]
            if bad:
                err.append("%s: frames not symbol+0xoff [module]: %s" % (w, bad[:2]))
            d = devs.get(att_dev.get(e.get("att"), {}).get("dev"))
            want = d and d[6 if e["type"] == "attach" else 7]
            if want and not frame_is(st[0], want):
                err.append("%s: innermost frame %s, want %s" % (w, st[0], want))
            nst += 1
    check("attach/map: driver's pid, symbolized stacks from the importer's code", err, "%d stacks" % nst)

    # --- debugfs bufinfo snapshots: size, exp_name, attached devices of every traced inode --------------------
    if bufinfos:
        err = []
        nbi = 0
        exp_ev = {e["buf"]: e for e in evs if e["type"] == "export"}
        for f in bufinfos:
            cur = None
            for l in open(f, errors="replace"):
                m = re.match(r"(\d+)\t(\d+)\t(\d+)\t(\d+)\t(\S+)\t(\d+)\t", l)
                if m:
                    cur = int(m.group(6))
                    if cur not in exp_ev:
                        cur = None
                        continue
                    nbi += 1
                    e = exp_ev[cur]
                    if int(m.group(1)) != e.get("size") or m.group(5) != e.get("exporter"):
                        err.append("%s: ino %d %s/%s, trace %s/%s" % (f.rsplit("/", 1)[-1], cur, m.group(1), m.group(5),
                                                                       e.get("size"), e.get("exporter")))
                    continue
                m = re.match(r"\t(\S+)$", l)
                if m and cur is not None and m.group(1) not in ("Attached", "Total"):
                    if not [a for a in by_buf[cur] if a["type"] == "attach" and a.get("dev") == m.group(1)]:
                        err.append("%s: ino %d attached to %s, no attach event" % (f.rsplit("/", 1)[-1], cur, m.group(1)))
        check("bufinfo: size, exp_name, attached devices of every traced inode", err, "%d entries" % nbi)

    for ok, name, detail in results:
        print("%s %s\t%s" % ("ok" if ok else "FAIL", name, detail))
    print("stats events=%d %s" % (len(evs), " ".join("%s=%d" % kv for kv in sorted(cnt.items()))))
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, IndexError, KeyError) as e:
        print("FAIL check-trace ran\t%s: %s" % (type(e).__name__, e))
        sys.exit(2)
