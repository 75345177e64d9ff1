#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a dt-capture-dump capture against dmabuf-exercise's own view of the same run.

  check-capture.py DIR TAG      (files of tests/capture/guest-capture.sh: DIR/TAG.capture, DIR/TAG.<scenario>.log)

Checks: every exported buffer (fstat inode, size) has an export and a release event with the same
inode and size; every import into vivid.0 (dma-contig) / vgem / virtio-gpu has an attach on that
device for that inode followed by a map, unmap and detach of the same attachment id; attach fields
per device; map walk consistency (segs_total, nsegs, total_len, max_seg, contiguity, crossings
recomputed from the carried segments); vmap/vunmap for the vmap scenario; no lost events;
debugfs bufinfo snapshots (DIR/*.bufinfo): size, exp_name and attached devices of each traced inode.
Prints a summary; exit 1 on any mismatch."""
import glob, json, os, re, sys
from collections import Counter, defaultdict

d, tag = sys.argv[1], sys.argv[2]
errs = []
def err(m):
    errs.append(m)

evs = []
for line in open(os.path.join(d, tag + ".capture"), errors="surrogateescape"):
    line = line.rstrip("\n")
    m = re.match(r"(\S+) (\S+)(.*)", line)
    if not m:
        continue
    ts, typ, rest = m.groups()
    st = rest.find(" stack=")
    stack = rest[st + 7:] if st >= 0 else ""
    rest = rest[:st] if st >= 0 else rest
    kv = dict(re.findall(r" (\w+)=(\S*)", rest))
    kv["type"], kv["ts"], kv["stack"] = typ, float(ts), stack
    evs.append(kv)

steps = []
for f in sorted(glob.glob(os.path.join(d, tag + ".*.log"))):
    for line in open(f):
        try:
            steps.append(json.loads(line))
        except ValueError:
            pass

cnt = Counter(e["type"] for e in evs)
by_buf = defaultdict(list)
for e in evs:
    if "buf" in e:
        by_buf[int(e["buf"])].append(e)
by_att = defaultdict(list)
for e in evs:
    if "att" in e:
        by_att[int(e["att"])].append(e)

if cnt["lost"]:
    err("lost events: %d" % cnt["lost"])

# exports / releases
exports = [s for s in steps if s.get("step") == "export"]
for s in exports:
    b, size = s["buf"], s["size"]
    ex = [e for e in by_buf[b] if e["type"] == "export"]
    if not ex:
        err("buf %d (%s): no export event" % (b, s.get("exporter")))
    elif int(ex[0].get("size", -1)) != size:
        err("buf %d: export size %s != %d" % (b, ex[0].get("size"), size))
    if not [e for e in by_buf[b] if e["type"] == "release"]:
        err("buf %d: no release event" % b)

# imports
want_dev = {}
for s in steps:
    if s.get("step") == "start":
        want_dev["virtio_gpu"] = s.get("virtio_gpu")
nimp = 0
for s in steps:
    if s.get("step") != "import" or s.get("allocator") == "vmalloc":
        continue
    nimp += 1
    b, dev = s["buf"], s["importer"]
    at = [e for e in by_buf[b] if e["type"] == "attach" and e.get("dev") == dev]
    if not at:
        err("buf %d: no attach by %s (%s ok=%s)" % (b, dev, s.get("scenario"), s.get("ok")))
        continue
    for a in at:
        seq = [e["type"] for e in by_att[int(a["att"])]]
        if "map" not in seq or "unmap" not in seq or seq[-1] != "detach":
            err("buf %d att %s (%s): sequence %s" % (b, a["att"], dev, seq))

# attach fields per device
exp_fields = {
    "vivid.0": dict(driver="vivid", bus="platform", max_seg_size="65536", seg_boundary_mask="0xffffffffffffffff"),
    "vgem": dict(driver="(null)", bus="platform", max_seg_size="65536", seg_boundary_mask="0xffffffffffffffff"),
}
if want_dev.get("virtio_gpu"):
    exp_fields[want_dev["virtio_gpu"]] = dict(driver="virtio-pci", bus="pci", max_seg_size="4294967295")
devs = Counter()
for e in evs:
    if e["type"] != "attach":
        continue
    devs[e.get("dev")] += 1
    for k, v in exp_fields.get(e.get("dev"), {}).items():
        if e.get(k) != v:
            err("attach att=%s dev=%s: %s=%s, want %s" % (e.get("att"), e.get("dev"), k, e.get(k), v))
    if not e["stack"] or e["stack"].startswith("dma_buf_") or "?" in e["stack"].split(" < ")[0]:
        err("attach att=%s: stack %r" % (e.get("att"), e["stack"][:80]))

# map walk consistency
maxsegs_seen = 0
for e in evs:
    if e["type"] != "map" or "nents" not in e:
        continue
    nents, segs_total, nsegs = int(e["nents"]), int(e["segs_total"]), int(e["nsegs"])
    maxsegs_seen = max(maxsegs_seen, segs_total)
    segs = [tuple(int(x, 0) for x in p.split(":")) for p in e["segs"].strip("[]").split(",") if p and p != "..."]
    if segs_total != nents:
        err("map att=%s: segs_total %d != nents %d" % (e["att"], segs_total, nents))
    if int(e["total_len"]) != int(e["size"]):
        err("map att=%s: total_len %s != size %s" % (e["att"], e["total_len"], e["size"]))
    if nsegs != min(segs_total, 64) and nsegs != min(segs_total, 256):
        err("map att=%s: nsegs %d for %d segments" % (e["att"], nsegs, segs_total))
    if len(segs) == segs_total:
        if sum(l for _, l in segs) != int(e["total_len"]):
            err("map att=%s: carried segs sum != total_len" % e["att"])
        if max(l for _, l in segs) != int(e["max_seg"]):
            err("map att=%s: max_seg mismatch" % e["att"])
        contig = all(segs[i][0] == segs[i - 1][0] + segs[i - 1][1] for i in range(1, len(segs)))
        if contig != (e["contiguous"] == "1"):
            err("map att=%s: contiguous mismatch" % e["att"])
    if not e["stack"] or e["stack"].startswith("dma_buf_") or "?" in e["stack"].split(" < ")[0]:
        err("map att=%s: stack %r" % (e.get("att"), e["stack"][:80]))

# vmap scenario
for s in steps:
    if s.get("step") == "import" and s.get("allocator") == "vmalloc" and s.get("ok"):
        t = [e["type"] for e in by_buf[s["buf"]]]
        if "vmap" not in t or "vunmap" not in t:
            err("buf %d: vmalloc import without vmap/vunmap events: %s" % (s["buf"], t))

# debugfs bufinfo snapshots taken by dmabuf-exercise: same inode -> same size, exporter, and every device
# listed as attached has an attach event for that inode
nbi = 0
exp_ev = {int(e["buf"]): e for e in evs if e["type"] == "export" and "buf" in e}
for f in sorted(glob.glob(os.path.join(d, "*.bufinfo"))):
    cur = None
    for line in open(f):
        m = re.match(r"(\d+)\t(\d+)\t(\d+)\t(\d+)\t(\S+)\t(\d+)\t", line)
        if m:
            cur = int(m.group(6))
            if cur in exp_ev:
                nbi += 1
                e = exp_ev[cur]
                if int(m.group(1)) != int(e.get("size", -1)) or m.group(5) != e.get("exporter"):
                    err("%s: ino %d size/exp_name %s/%s vs capture %s/%s" % (os.path.basename(f), cur, m.group(1),
                        m.group(5), e.get("size"), e.get("exporter")))
            else:
                cur = None
            continue
        m = re.match(r"\t(\S+)$", line)
        if m and cur is not None and m.group(1) not in ("Attached", "Total"):
            if not [a for a in by_buf[cur] if a["type"] == "attach" and a.get("dev") == m.group(1)]:
                err("%s: ino %d attached to %s, no attach event" % (os.path.basename(f), cur, m.group(1)))

print("%s/%s: bufinfo entries checked %d" % (d, tag, nbi))
print("%s/%s: events %d (%s); buffers %d; imports checked %d; attach devices %s; max segments in one map %d; cached maps %d"
      % (d, tag, len(evs), " ".join("%s=%d" % kv for kv in sorted(cnt.items())), len(exports), nimp,
         dict(devs), maxsegs_seen, sum(1 for e in evs if e.get("cached") == "1")))
for m in errs[:30]:
    print("  MISMATCH: " + m)
print("%s/%s: %s" % (d, tag, "OK" if not errs else "%d mismatches" % len(errs)))
sys.exit(1 if errs else 0)
