#!/usr/bin/env python3
"""The end of scripts/vm-test.sh: the table of generator entries × (systemd 252's generator, ours) × (unit state,
unlocked, argv exact), the power-cut rounds, and the closing "N passed, N failed".

  summary.py RESULTS WORKDIR      (writes WORKDIR/summary.md too)

Every check counts, except the per-entry checks of systemd's own generator: those are what the comparison is
for (where it fails and ours works), so they go into the table and not into the failures. Its boots must still
have reported, and its guest tree must equal the one it writes outside the guest.
"""
import json, os, sys


def main(path, work):
    rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    counted = [r for r in rows if not (r.get("generator") == "systemd" and r["subject"] not in ("boot", "generator tree"))]
    passed = sum(1 for r in counted if r["ok"])
    failed = [r for r in counted if not r["ok"]]
    lines = []
    table = {}
    for r in rows:
        if "table" in r:
            t = r["table"]
            table.setdefault((r["boot"], t["entry"]), {})[r["generator"]] = t
    if table:
        lines.append("| boot | entry | wanted | systemd 252: unit · unlocked · argv | ours: unit · unlocked · argv |")
        lines.append("|---|---|---|---|---|")
        for (boot, entry), by in sorted(table.items(), key=lambda kv: kv[0][0]):
            cells = []
            for gen in ("systemd", "ours"):
                t = by.get(gen)
                cells.append("—" if t is None else "%s · %s · %s" % (t["state"], "yes" if t["unlocked"] else "no",
                                                                   "exact" if t["argv_exact"] else "DIFFERS"))
            want = next(iter(by.values()))["want"]
            lines.append("| %s | `%s` | %s | %s | %s |" % (boot, entry, want, cells[0], cells[1]))
        lines.append("")
    cuts = [r for r in rows if r["suite"] == "power cut" and r["check"] == "summary"]
    for r in cuts:
        lines.append("power cut %d: %d operations reported done in that round, %d in the ledger; in flight at the cut: %s"
                     % (r["round"], r["done_in_round"], r["ledger_ops"], "; ".join(r["midflight"]) or "none"))
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(work, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    for r in failed:
        print("FAILED: %s · %s · %s: %s" % (r["suite"], r["subject"], r["check"], r["detail"]))
    print("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed or not rows else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
