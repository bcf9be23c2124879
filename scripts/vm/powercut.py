#!/usr/bin/env python3
"""Checks one power-cut round of scripts/vm-test.sh (issue 22, item 5).

  powercut.py DIR ROUND CUTS RESULTS

Rounds 1…CUTS loop until the power is cut; round CUTS+1 starts a detached container and reboots cleanly; round
CUTS+2 checks the reboot (issue 22, item 4): the container is exited, there is exactly one refresh event for the
new boot id, `system locks` is clean and the container starts again.

The ledger is every complete "VMTEST DONE <create|rm> <kind> <name>" line on the serial consoles of the loop
rounds before ROUND (what podrt reported done before the host cut the power). Round ROUND's report (what podrt shows on
the next boot, after its refresh) must hold every object created and not removed, none that was removed,
`PRAGMA quick_check` must say ok and `podrt system locks` must be clean. An operation that had started and not
reported done when the power went ("cut mid-flight") may or may not have survived; each is listed with its fate.
"""
import json, os, re, sys

LINE = re.compile(rb"VMTEST (START|DONE) (create|rm) (container|pod|volume) (\S+)\r?\n")


def console_ops(path):
    try:
        data = open(path, "rb").read()
    except FileNotFoundError:
        return []
    return [(m.group(1).decode(), m.group(2).decode(), m.group(3).decode(), m.group(4).decode()) for m in LINE.finditer(data)]


def names(report, file, key):
    try:
        rows = json.load(open(os.path.join(report, file), encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    out = set()
    for row in rows:
        v = row.get(key)
        out.update(v if isinstance(v, list) else [v])
    return out


def load(report, file):
    try:
        return json.load(open(os.path.join(report, file), encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def text(report, file, default="(missing)"):
    try:
        return open(os.path.join(report, file), encoding="utf-8", errors="replace").read().strip()
    except FileNotFoundError:
        return default


def container(report, file, name):
    for row in load(report, file) or []:
        if name in (row.get("Names") or []):
            return row
    return None


def main(pc, rnd, cuts, results):
    rnd, cuts = int(rnd), int(cuts)
    suite = "power cut"
    out = []

    def result(subject, check, ok, detail="", extra=None):
        row = {"suite": suite, "subject": subject, "check": check, "ok": ok, "detail": detail}
        row.update(extra or {})
        out.append(json.dumps(row))
        print("  %s %s · %s · %s%s" % ("ok  " if ok else "FAIL", suite, subject, check, "" if ok else ": " + detail))

    report = os.path.join(pc, "round-%d" % rnd, "report")
    if not os.path.exists(os.path.join(report, "boot_id")):
        result("round %d" % rnd, "the guest agent wrote a report", False, "no report (see console.log)")
    elif rnd > 1:
        present = {k: set() for k in ("container", "pod", "volume")}
        removed = {k: set() for k in present}
        midflight = []
        for r in range(1, min(rnd - 1, cuts) + 1):
            ops = console_ops(os.path.join(pc, "round-%d" % r, "console.log"))
            for phase, verb, kind, name in ops:
                if phase != "DONE":
                    continue
                if verb == "create":
                    present[kind].add(name)
                else:
                    present[kind].discard(name); removed[kind].add(name)
            if r == rnd - 1:
                starts = [o for o in ops if o[0] == "START"]
                dones = {o[1:] for o in ops if o[0] == "DONE"}
                if starts and starts[-1][1:] not in dones:
                    midflight.append(starts[-1][1:])
        shown = {"container": names(report, "ps.json", "Names"), "pod": names(report, "pods.json", "Name"),
                 "volume": names(report, "volumes.json", "Name")}
        subject = "after cut %d" % (rnd - 1) if rnd <= cuts + 1 else "after the reboot"
        done = sum(len(v) for v in present.values()) + sum(len(v) for v in removed.values())
        # The operation in flight at the cut may have finished without the host seeing its DONE line: a
        # removal in flight may have taken its object away.
        exempt = {(kind, name) for verb, kind, name in midflight if verb == "rm"}
        for kind in present:
            present[kind] -= {n for k, n in exempt if k == kind}
            if shown[kind] is None:
                result(subject, "podrt lists %ss" % kind, False, "no JSON listing (see %s)" % report)
                continue
            lost = sorted(present[kind] - shown[kind])
            back = sorted(removed[kind] & shown[kind])
            result(subject, "every reported %s create is there (%d)" % (kind, len(present[kind])), not lost,
                   "lost: %s" % lost[:10])
            result(subject, "every reported %s rm is gone (%d)" % (kind, len(removed[kind])), not back,
                   "back: %s" % back[:10])
        qc = text(report, "quick_check")
        result(subject, "PRAGMA quick_check is ok", qc == "ok", qc[:200])
        rc = text(report, "locks.rc", "?")
        locks = text(report, "locks.txt", "")[:300]
        result(subject, "podrt system locks is clean", rc == "0", "exit %s: %s" % (rc, locks))
        fates = []
        for verb, kind, name in midflight:
            there = shown.get(kind) is not None and name in shown[kind]
            fates.append("%s %s %s: %s" % (verb, kind, name, "present" if there else "absent"))
        if rnd <= cuts + 1:
            prev = os.path.join(pc, "round-%d" % (rnd - 1))
            ops_before = len([o for o in console_ops(os.path.join(prev, "console.log")) if o[0] == "DONE"])
            cut = os.path.exists(os.path.join(prev, "cut"))
            result(subject, "the power was cut during the loop", cut, "qemu was gone before the cut")
            result(subject, "summary", True, "", {"round": rnd - 1, "done_in_round": ops_before, "ledger_ops": done,
                   "midflight": fates, "cut": cut})
            print("    cut %d: %d operations reported done in that round; in flight at the cut: %s" %
                  (rnd - 1, ops_before, "; ".join(fates) or "none"))
        if rnd == cuts + 1:
            web = container(report, "running-ps.json", "web")
            result("detached container", "podrt run -d starts it (runc)", text(report, "run.rc") == "0"
                   and web is not None and web.get("State") == "running" and web.get("Pid", 0) > 0,
                   "run exit %s: %s; ps: %s" % (text(report, "run.rc"), text(report, "run.out")[:200], web))
        if rnd == cuts + 2:
            boot_id = text(report, "boot_id")
            web = container(report, "ps.json", "web")
            result("after the reboot", "the running container is exited", web is not None and web.get("State") == "exited",
                   "ps: %s" % web)
            refreshes = []
            for line in text(report, "events.json", "").splitlines():
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if e.get("type") == "system" and e.get("status") == "refresh" and e.get("bootID") == boot_id:
                    refreshes.append(e)
            result("after the reboot", "exactly one refresh event for the new boot id", len(refreshes) == 1,
                   "%d refresh events for boot %s" % (len(refreshes), boot_id))
            started = container(report, "started-ps.json", "web")
            result("after the reboot", "the container starts again", text(report, "start.rc") == "0"
                   and started is not None and started.get("State") == "running",
                   "start exit %s: %s; ps: %s" % (text(report, "start.rc"), text(report, "start.out")[:200], started))
    else:
        result("round 1", "the guest agent wrote a report", True)
    with open(results, "a", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
