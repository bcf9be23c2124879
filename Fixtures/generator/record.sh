#!/usr/bin/env bash
# Record the expected output of systemd's own systemd-cryptsetup-generator for the fixture cases.
#
#   record.sh [--check] [--probe N] [CASE...]
#
# With no CASE, every case folder next to this script is processed. A CASE is a folder name or path.
#   (default)   rebuild CASE/expected/ (and CASE/systemd/ for divergent cases) from the real generator.
#   --check     re-record into a temporary directory and compare with the committed recording; exit 1 on any
#               difference. NONDETERMINISTIC cases pass if any of up to 20 runs matches.
#   --probe N   run each case N times and report cases whose output changes between runs (finds candidates
#               for the NONDETERMINISTIC marker); writes nothing.
#   --to DEST CASE   record one case folder (anywhere) into DEST (a recording: rc, stderr, stderr.debug,
#               manifest, normal/, runtime/); for differential tests that make their own inputs.
#   --no-debug  skip the second, debug-level run (no stderr.debug); faster, for --to and --probe.
#
# Needs root (unshare -m, mount) and systemd 252's generator at $SYSTEMD_GENERATOR
# (default /usr/lib/systemd/system-generators/systemd-cryptsetup-generator). See README.md for the case format.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
GEN=${SYSTEMD_GENERATOR:-/usr/lib/systemd/system-generators/systemd-cryptsetup-generator}

die() { echo "record.sh: $*" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------------------------
# Inner mode: runs inside a private mount namespace (started by run_case). One generator run per namespace.
#   record.sh --__inner CASE_DIR DEST LOGLEVEL
# Leaves in DEST: rc, stderr, normal/, early/, late/ (early and late only in three-argument mode), runtime/.
# ---------------------------------------------------------------------------------------------------------------
inner() {
    local case_dir=$1 dest=$2 level=$3
    local scratch
    umask 022
    scratch=$(mktemp -d /tmp/record-ns.XXXXXX)
    mount -t tmpfs -o mode=0755 tmpfs "$scratch"
    mkdir -p "$scratch"/{upper,work,bin}

    # /etc/crypttab: an overlay over the real /etc, so the real /etc is never written and a case without a
    # crypttab sees no /etc/crypttab at all (a whiteout hides the host's one, if any).
    mount -t overlay overlay -o "lowerdir=/etc,upperdir=$scratch/upper,workdir=$scratch/work" /etc ||
        { echo "record.sh: cannot mount an overlay on /etc (overlayfs needed)" >&2; exit 3; }
    rm -f /etc/crypttab
    if [[ -e $case_dir/crypttab ]]; then
        : >/etc/crypttab
        mount --bind "$case_dir/crypttab" /etc/crypttab
    elif [[ -e $case_dir/crypttab.gen ]]; then
        (cd "$case_dir" && sh ./crypttab.gen) >/etc/crypttab
    fi

    # /etc/initrd-release (SYSTEMD_IN_INITRD=lenient|auto look at it): the case's initrd-release file, else absent.
    rm -f /etc/initrd-release
    [[ -e $case_dir/initrd-release ]] && cp "$case_dir/initrd-release" /etc/initrd-release

    # A fresh tmpfs on /run/systemd: RUNTIME_DIRECTORY defaults to /run/systemd/cryptsetup. The output
    # directories are the ones systemd itself hands to generators, so paths in messages are realistic.
    mkdir -p /run/systemd
    mount -t tmpfs -o mode=0755 tmpfs /run/systemd
    local out=/run/systemd/generator
    mkdir -m 0755 "$out" "$out.early" "$out.late"

    # argv[0]: the generator's basename appears in every unit's first line.
    local prog=$GEN
    if [[ -e $case_dir/argv0 ]]; then
        prog="$scratch/bin/$(head -n1 "$case_dir/argv0")"
        ln -s "$GEN" "$prog"
    fi

    # Arguments: one per line of CASE/args, with @NORMAL, @EARLY, @LATE replaced; default: "@NORMAL".
    local -a args=()
    if [[ -e $case_dir/args ]]; then
        local a
        while IFS= read -r a || [[ -n $a ]]; do
            a=${a//@NORMAL/$out}
            a=${a//@EARLY/$out.early}
            a=${a//@LATE/$out.late}
            args+=("$a")
        done <"$case_dir/args"
    else
        args=("$out")
    fi

    # Environment: fixed defaults, then CASE/env (KEY=VALUE sets, -KEY unsets, # comments).
    local cmdline=""
    [[ -e $case_dir/cmdline ]] && cmdline=$(cat "$case_dir/cmdline")
    local -a envv=(
        PATH=/usr/sbin:/usr/bin:/sbin:/bin
        SYSTEMD_LOG_LEVEL="$level" SYSTEMD_LOG_COLOR=0 SYSTEMD_LOG_TIME=0 SYSTEMD_LOG_LOCATION=0
        SYSTEMD_LOG_TARGET=console SYSTEMD_EFI_OPTIONS= SYSTEMD_IN_INITRD=0 SYSTEMD_PROC_CMDLINE="$cmdline"
    )
    local -a unsets=()
    if [[ -e $case_dir/env ]]; then
        local line
        while IFS= read -r line || [[ -n $line ]]; do
            [[ -z $line || $line == \#* ]] && continue
            if [[ $line == -* ]]; then unsets+=(-u "${line#-}"); else envv+=("$line"); fi
        done <"$case_dir/env"
    fi

    # A crash (abort) is recorded as 128+signal, as a shell reports it; the shell's own "Aborted" is dropped.
    local rc=0
    { ( cd "$scratch" && ulimit -c 0 && exec env -i "${envv[@]}" env "${unsets[@]}" "$prog" "${args[@]}" ) \
        2>"$dest/stderr" </dev/null >/dev/null; } 2>/dev/null || rc=$?
    echo "$rc" >"$dest/rc"

    cp -a "$out" "$dest/normal"
    if ((${#args[@]} == 3)); then
        cp -a "$out.early" "$dest/early"
        cp -a "$out.late" "$dest/late"
    fi
    # runtime/: everything else the generator left on /run/systemd.
    mkdir "$dest/runtime"
    cp -a /run/systemd/. "$dest/runtime/"
    rm -rf "$dest/runtime/generator" "$dest/runtime/generator.early" "$dest/runtime/generator.late"
}

if [[ ${1:-} == --__inner ]]; then
    shift
    inner "$@"
    exit 0
fi

# ---------------------------------------------------------------------------------------------------------------
# Outer mode.
# ---------------------------------------------------------------------------------------------------------------

# manifest DIR: one line per entry of the areas in DIR: "area/relpath type mode [-> target]", sorted bytewise.
manifest() {
    local dir=$1 area
    for area in normal early late runtime; do
        [[ -d $dir/$area ]] || continue
        (cd "$dir/$area" && find . -mindepth 1 \
            \( -type l -printf "$area/%P l %#m -> %l\n" \) -o -printf "$area/%P %y %#m\n")
    done | sort
}

# run_case CASE_DIR DEST: a full recording (info-level run for rc/stderr/trees, debug-level run for stderr.debug).
run_case() {
    local case_dir=$1 dest=$2 tmp
    mkdir -p "$dest"
    unshare -m --propagation private -- "$SELF" --__inner "$case_dir" "$dest" info
    if [[ $debug == 1 ]]; then
        tmp=$(mktemp -d /tmp/record-dbg.XXXXXX)
        unshare -m --propagation private -- "$SELF" --__inner "$case_dir" "$tmp" debug
        mv "$tmp/stderr" "$dest/stderr.debug"
        rm -rf "$tmp"
    fi
    manifest "$dest" >"$dest/manifest"
    # The trees must hold something for git; empty directories are kept only in the manifest.
    mkdir -p "$dest/normal" "$dest/runtime"
}

# same A B: compare two recordings (rc, stderr, manifest, and every file's and symlink's content).
same() {
    local a=$1 b=$2 f ok=0
    for f in rc stderr manifest; do
        cmp -s "$a/$f" "$b/$f" || { echo "    differs: $f" >&2; diff -u "$b/$f" "$a/$f" | head -20 >&2 || true; ok=1; }
    done
    [[ $ok == 0 ]] || return 1
    while IFS= read -r -d '' f; do
        if [[ -L $a/$f ]]; then
            [[ $(readlink "$a/$f") == "$(readlink "$b/$f" 2>/dev/null)" ]] || { echo "    differs: $f" >&2; ok=1; }
        elif [[ -f $a/$f ]]; then
            cmp -s "$a/$f" "$b/$f" || { echo "    differs: $f" >&2; diff -u "$b/$f" "$a/$f" | head -20 >&2 || true; ok=1; }
        fi
    done < <(cd "$a" && find normal early late runtime -mindepth 1 \( -type f -o -type l \) -print0 2>/dev/null)
    return $ok
}

mode=record probe=0 debug=1 to=""
cases=()
while (($#)); do
    case $1 in
        --check) mode=check; debug=0 ;;
        --probe) mode=probe; probe=$2; shift ;;
        --to) mode=to; to=$2; shift ;;
        --no-debug) debug=0 ;;
        -h|--help) sed -n '2,17p' "$SELF"; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) cases+=("$1") ;;
    esac
    shift
done

[[ $(id -u) == 0 ]] || die "must run as root (unshare -m and mount)"
[[ -x $GEN ]] || die "systemd's generator not found at $GEN"

if [[ $mode == to ]]; then
    ((${#cases[@]} == 1)) || die "--to DEST takes exactly one case folder"
    [[ ! -e $to ]] || die "--to: $to already exists"
    c=$(cd "${cases[0]}" && pwd)
    run_case "$c" "$to"
    exit 0
fi

if ((${#cases[@]} == 0)); then
    for d in "$HERE"/*/; do
        [[ -e $d/crypttab || -e $d/crypttab.gen || -e $d/cmdline || -e $d/env || -e $d/args ]] && cases+=("$d")
        :
    done
fi

failed=0 n=0
for c in "${cases[@]}"; do
    [[ -d $c ]] || c="$HERE/$c"
    [[ -d $c ]] || die "no such case: $c"
    c=$(cd "$c" && pwd)
    name=$(basename "$c")
    n=$((n + 1))
    # Divergent cases keep systemd's recording in systemd/; expected/ then holds our generator's output.
    target=expected
    [[ -e $c/divergent ]] && target=systemd
    case $mode in
        record)
            tmp=$(mktemp -d /tmp/record-case.XXXXXX)
            run_case "$c" "$tmp/r"
            rm -rf "${c:?}/$target"
            cp -a "$tmp/r" "$c/$target"
            if [[ $target == systemd && ! -e $c/expected ]]; then cp -a "$tmp/r" "$c/expected"; fi
            rm -rf "$tmp"
            echo "recorded $name: rc=$(cat "$c/$target/rc")"
            ;;
        check)
            tries=1
            [[ -e $c/NONDETERMINISTIC ]] && tries=20
            ok=1
            for ((i = 0; i < tries; i++)); do
                tmp=$(mktemp -d /tmp/record-case.XXXXXX)
                run_case "$c" "$tmp/r"
                if same "$tmp/r" "$c/$target" 2>"$tmp/why"; then ok=0; fi
                [[ $ok == 0 ]] || cp "$tmp/why" /tmp/record-why.$$
                rm -rf "$tmp"
                [[ $ok == 0 ]] && break
            done
            if [[ $ok == 0 ]]; then
                echo "ok      $name"
            else
                echo "DIFFERS $name"; cat /tmp/record-why.$$ >&2; failed=1
            fi
            rm -f /tmp/record-why.$$
            ;;
        probe)
            tmp=$(mktemp -d /tmp/record-case.XXXXXX)
            run_case "$c" "$tmp/first"
            varies=0
            for ((i = 1; i < probe; i++)); do
                rm -rf "$tmp/again"
                run_case "$c" "$tmp/again"
                same "$tmp/again" "$tmp/first" 2>/dev/null || { varies=1; break; }
            done
            rm -rf "$tmp"
            if [[ $varies == 1 ]]; then echo "VARIES  $name"; else echo "stable  $name"; fi
            ;;
    esac
done
[[ $mode != check ]] || echo "checked $n case(s)"
exit $failed
