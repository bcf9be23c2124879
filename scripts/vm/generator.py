#!/usr/bin/env python3
"""The generator boots of scripts/vm-test.sh (issue 22, item 3): what each boot's crypttab and kernel command line
are, what every entry must come to, and the checks of a boot's report.

  generator.py write BOOT DIR            crypttab, names (one per line) and cmdline for boot 1 or 2
  generator.py check BOOT GENERATOR REPORT PREDICTED RESULTS
                                         checks a report against the plan and the tree the same generator
                                         writes outside the guest (PREDICTED); appends JSON lines to RESULTS

Boot 2 is boot 1 with the crypttab edited (data gains discard, tmpx is gone, late is new) and luks.* options on
the kernel command line. With a luks.uuid= or luks.name= there, systemd 252 activates only the listed UUIDs
("Not creating device … because it was not specified on the kernel command line"), so every other crypttab entry
must be absent in boot 2.
"""
import json, os, sys, tarfile

CRYPTSETUP = "/lib/systemd/systemd-cryptsetup"


def uuid(n):
    return "1b0e0a51-0000-4000-8000-%012d" % n


def by_uuid(n):
    return "/dev/disk/by-uuid/" + uuid(n)


# name, crypttab device, key, options, (device, key, options) as systemd-cryptsetup must receive them, outcome.
# Outcomes: active (unit active, mapping there), inactive (unit loaded, not active, no mapping), absent.
BOOT1 = [
    ("data", "UUID=" + uuid(1), "/etc/keys/data.key", "luks", (by_uuid(1), "/etc/keys/data.key", "luks"), "active"),
    ("legacy", "/dev/disk/by-id/virtio-legacy", "/etc/keys/legacy.key", "luks,header=/etc/keys/legacy.hdr",
     ("/dev/disk/by-id/virtio-legacy", "/etc/keys/legacy.key", "luks,header=/etc/keys/legacy.hdr"), "active"),
    ("remote", "LABEL=remote", "/k.key:LABEL=KEYS", "luks,keyfile-timeout=300s",
     ("/dev/disk/by-label/remote", "/run/systemd/cryptsetup/keydev-remote/k.key", "luks,keyfile-timeout=300s"), "active"),
    ("ghost", "/dev/disk/by-id/virtio-nosuch", "/etc/keys/data.key", "luks,nofail,x-systemd.device-timeout=15s",
     ("/dev/disk/by-id/virtio-nosuch", "/etc/keys/data.key", "luks,nofail"), "inactive"),
    ("swapx", "/dev/disk/by-id/virtio-swap", "/dev/urandom", "swap,cipher=aes-xts-plain64,size=256",
     ("/dev/disk/by-id/virtio-swap", "/dev/urandom", "swap,cipher=aes-xts-plain64,size=256"), "active"),
    ("tmpx", "/dev/disk/by-id/virtio-tmp", "/dev/urandom", "tmp",
     ("/dev/disk/by-id/virtio-tmp", "/dev/urandom", "tmp"), "active"),
    # udev names the label odd%ilabel's link odd\x25ilabel; systemd 252 writes that into ExecStart= unescaped,
    # and its unit parser turns \x25i into %i, the instance name (Fixtures/generator/DIVERGENCES.md §1).
    ("odd", "LABEL=odd%ilabel", "/etc/keys/odd.key", "luks,nofail",
     ("/dev/disk/by-label/odd\\x25ilabel", "/etc/keys/odd.key", "luks,nofail"), "active"),
    # A backslash in the name: systemd 252's ExecStart= decodes 'da\ta' to "da<TAB>a".
    ("da\\ta", "/dev/disk/by-id/virtio-bs", "/etc/keys/bs.key", "luks,nofail",
     ("/dev/disk/by-id/virtio-bs", "/etc/keys/bs.key", "luks,nofail"), "active"),
    # A space in a label: udev's link is by-label/my\x20disk, and systemd 252 hands on "my disk".
    ("spc", "/dev/disk/by-label/my\\x20disk", "/etc/keys/spc.key", "luks,nofail",
     ("/dev/disk/by-label/my\\x20disk", "/etc/keys/spc.key", "luks,nofail"), "active"),
    ("däta", "LABEL=Däten", "/etc/keys/utf.key", "luks", ("/dev/disk/by-label/Däten", "/etc/keys/utf.key", "luks"), "active"),
    ("50%off", "UUID=" + uuid(11), "/etc/keys/pct.key", "luks", (by_uuid(11), "/etc/keys/pct.key", "luks"), "active"),
]

# headless=true on every LUKS entry: a key that cannot be read fails the unit instead of asking for a password on
# the console forever (the boot must end, whichever generator wrote the units).
# Right after "luks": systemd 252 moves header= to the end of the options it hands on.
BOOT1 = [(n, d, k, o.replace("luks", "luks,headless=true", 1), (a[0], a[1], a[2].replace("luks", "luks,headless=true", 1)), w)
         for n, d, k, o, a, w in BOOT1]


def boot2():
    entries = []
    for name, dev, key, opts, argv, outcome in BOOT1:
        if name == "tmpx":
            continue
        if name == "data":
            entries.append((name, dev, key, opts + ",discard", (argv[0], argv[1], argv[2] + ",discard"), "active"))
        else:
            entries.append((name, dev, key, opts, argv, "absent"))
    entries.append(("late", "UUID=" + uuid(10), "/etc/keys/late.key", "luks,headless=true",
                    (by_uuid(10), "/etc/keys/late.key", "luks,headless=true"), "active"))
    return entries


CMDLINE2 = " ".join([
    "luks.uuid=" + uuid(1), "luks.uuid=" + uuid(10),
    "luks.name=%s=cmdname" % uuid(8), "luks.key=%s=/etc/keys/cmd.key" % uuid(8), "luks.options=%s=discard,headless=true" % uuid(8),
    "luks.name=%s=crypt-ü" % uuid(9), "luks.key=%s=/etc/keys/cmdutf.key" % uuid(9),
    "luks.options=%s=headless=true" % uuid(9),
])
# Entries that come from the command line alone: name, (device, key, options), outcome.
CMDLINE_ENTRIES2 = [
    ("cmdname", (by_uuid(8), "/etc/keys/cmd.key", "discard,headless=true"), "active"),
    ("crypt-ü", (by_uuid(9), "/etc/keys/cmdutf.key", "headless=true"), "active"),
    ("tmpx", None, "absent"),  # removed from the crypttab
]


def plan(boot):
    if boot == "1":
        rows = BOOT1
        return rows, [(r[0], r[4], r[5]) for r in rows], ""
    rows = boot2()
    return rows, [(r[0], r[4], r[5]) for r in rows] + CMDLINE_ENTRIES2, CMDLINE2


def write(boot, out):
    rows, expect, cmdline = plan(boot)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "crypttab"), "w", encoding="utf-8") as f:
        f.write("# scripts/vm/generator.py, boot %s\n" % boot)
        for name, dev, key, opts, _, _ in rows:
            f.write("%s %s %s %s\n" % (name, dev, key, opts))
    with open(os.path.join(out, "names"), "w", encoding="utf-8") as f:
        for name, _, _ in expect:
            f.write(name + "\n")
    with open(os.path.join(out, "cmdline"), "w", encoding="utf-8") as f:
        f.write(cmdline)


def read(path, default=None):
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


def busctl_value(path):
    text = read(path)
    if not text:
        return None
    try:
        return json.loads(text)["data"]
    except (ValueError, KeyError):
        return None


def tree(root):
    """Every file and link under root: relative path → ('file', bytes) or ('link', target)."""
    out = {}
    for base, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(base, d))]:
            p = os.path.join(base, name)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out[rel] = ("link", os.readlink(p))
            else:
                with open(p, "rb") as f:
                    out[rel] = ("file", f.read())
    return out


def cryptsetup_related(rel):
    return "cryptsetup" in rel or rel.startswith("dev-mapper-") or "keydev-" in rel or "headerdev-" in rel \
        or ".device.d/" in rel or rel.endswith(".swap") or "swap.target" in rel


def check(boot, generator, report, predicted, results):
    _, expect, cmdline = plan(boot)
    suite = "generator boot %s (%s)" % (boot, generator)
    lines = []
    failed = 0

    def result(subject, what, ok, detail="", table=None):
        nonlocal failed
        failed += 0 if ok else 1
        row = {"suite": suite, "subject": subject, "check": what, "ok": ok, "detail": detail, "generator": generator,
               "boot": boot}
        if table is not None:
            row["table"] = table
        lines.append(json.dumps(row, ensure_ascii=False))
        # systemd's own generator is compared, not judged: where it fails an entry, that is the finding
        # (summary.py counts its boot and tree checks only).
        mark = "ok  " if ok else "FAIL"
        if not ok and generator == "systemd" and subject not in ("boot", "generator tree"):
            mark = "systemd 252 fails here (not counted):"
        print("  %s %s · %s · %s%s" % (mark, suite, subject, what, "" if ok else ": " + " ".join(detail.split())))

    if not os.path.exists(os.path.join(report, "names")):
        result("boot", "the guest agent wrote a report", False, "no report on the report disk (see console.log)")
        with open(results, "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return
    result("boot", "the guest agent wrote a report", True)
    entries = {}
    base = os.path.join(report, "entries")
    for d in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        entries[read(os.path.join(base, d, "name"))] = os.path.join(base, d)

    for name, argv, outcome in expect:
        d = entries.get(name)
        if d is None:
            result(name, "reported", False, "the agent reported nothing for this name")
            continue
        load = busctl_value(os.path.join(d, "LoadState.json"))
        active = busctl_value(os.path.join(d, "ActiveState.json"))
        mapped = read(os.path.join(d, "mapped")) == "yes"
        execs = busctl_value(os.path.join(d, "ExecStart.json")) or []
        got = execs[0][1] if execs and len(execs[0]) > 1 else None
        if outcome == "active":
            state_ok, state_want = active == "active", "active"
        elif outcome == "inactive":
            state_ok, state_want = load == "loaded" and active != "active", "loaded, not active"
        else:
            state_ok, state_want = load == "not-found", "no unit"
        map_ok = mapped == (outcome == "active")
        want = None if argv is None else [CRYPTSETUP, "attach", name, argv[0], argv[1], argv[2]]
        argv_ok = got is None if want is None or outcome == "absent" else got == want
        table = {"entry": name, "state": "%s/%s" % (load, active), "unlocked": mapped, "argv_exact": argv_ok,
                 "want": outcome}
        result(name, "unit %s" % state_want, state_ok, "LoadState=%s ActiveState=%s" % (load, active), table)
        result(name, "mapping %s" % ("there" if outcome == "active" else "absent"), map_ok,
               read(os.path.join(d, "dmsetup"), ""))
        result(name, "ExecStart argv exact", argv_ok, "got %r, want %r" % (got, want))

    # The tree the generator wrote in the guest against the one it writes outside it from the same input.
    guest_dir = os.path.join(report, "generator-tree")
    os.makedirs(guest_dir, exist_ok=True)
    with tarfile.open(os.path.join(report, "generator.tar")) as t:
        t.extractall(guest_dir, filter="fully_trusted") if hasattr(tarfile, "data_filter") else t.extractall(guest_dir)
    guest = {k[len("generator/"):]: v for k, v in tree(guest_dir).items() if k.startswith("generator/")}
    # Outside the guest the generator reads the plan's crypttab (SYSTEMD_CRYPTTAB), and SourcePath= names the file
    # it read: that one line is compared as the guest's /etc/crypttab.
    plan_crypttab = os.path.join(os.path.dirname(os.path.abspath(predicted)), "plan", "crypttab").encode()
    want_tree = {k: (kind, v.replace(b"SourcePath=" + plan_crypttab + b"\n", b"SourcePath=/etc/crypttab\n"))
                 if kind == "file" else (kind, v) for k, (kind, v) in tree(predicted).items()}
    missing = [k for k in want_tree if guest.get(k) != want_tree[k]]
    extra = [k for k in guest if cryptsetup_related(k) and k not in want_tree]
    result("generator tree", "equals the one predicted outside the guest (%d paths)" % len(want_tree),
           not missing and not extra, "differs: %s; unexpected: %s" % (missing[:5], extra[:5]))
    with open(results, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 7 and sys.argv[1] == "check":
        check(*sys.argv[2:])
    else:
        sys.exit(__doc__)
