#!/usr/bin/env bash
# Installs the four programs (issue 22, item 1). Builds them in release mode first.
#
#   scripts/install.sh [--destdir DIR] [--prefix PREFIX] [--distribution-path] [--no-build] [--products "P…"] [--docs]
#
# - systemd-cryptsetup-generator: the static binary (no shared library at all, as it runs at every boot), into
#   DIR/etc/systemd/system-generators/, where systemd runs it instead of its own
#   (/usr/lib/systemd/system-generators/systemd-cryptsetup-generator, which an /etc generator of the same name
#   masks: systemd.generator(7), "Generators in /etc/ override those with the same name in /usr/"). With
#   --distribution-path it replaces the distribution's file instead (kept as ….orig the first time).
# - podrt, crypttab-check and bootsim: DIR/PREFIX/bin (PREFIX defaults to /usr/local), linked with Swift's standard
#   library and Foundation statically (--static-swift-stdlib), so they run on a Debian 12 machine without the Swift
#   toolchain. They still need the C libraries Debian ships: libc, and libfuse3 (bootsim) and libcryptsetup
#   (crypttab-check, bootsim). podrt's container monitor, podrt-monitor, goes to DIR/usr/libexec/podrt/, where podrt
#   looks for it (after beside itself and [engine] monitor_path).
#
# - --docs: with podrt, its shell completions (DIR/usr/share/bash-completion/completions/podrt,
#   DIR/usr/share/zsh/vendor-completions/_podrt, DIR/usr/share/fish/vendor_completions.d/podrt.fish) and a man page
#   per command (DIR/PREFIX/share/man/man1/podrt*.1), made by scripts/podrt-docs.sh from argument-parser.
# DIR defaults to / ; --products installs (and builds) only the named ones. The VM test (scripts/vm-test.sh) installs into its guest image through this script.
set -euo pipefail
cd "$(dirname "$0")/.."

destdir=/ prefix=/usr/local distribution=0 build=1 docs=0
products="systemd-cryptsetup-generator podrt crypttab-check bootsim"
while (($#)); do
    case $1 in
        --destdir) destdir=${2:?--destdir needs a directory}; shift 2 ;;
        --prefix) prefix=${2:?--prefix needs a path}; shift 2 ;;
        --distribution-path) distribution=1; shift ;;
        --no-build) build=0; shift ;;
        --docs) docs=1; shift ;;
        --products) products=${2:?--products needs a list}; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

export PATH="/opt/swift/usr/bin:$PATH"
static=.build-static/release/systemd-cryptsetup-generator
release=.build-install/release
for product in $products; do
    case $product in
        systemd-cryptsetup-generator) binary=$static ;;
        podrt|crypttab-check|bootsim) binary=$release/$product ;;
        *) echo "install.sh: unknown product '$product' (systemd-cryptsetup-generator podrt crypttab-check bootsim)" >&2; exit 2 ;;
    esac
    if ((build)); then
        if [ "$product" = systemd-cryptsetup-generator ]; then
            swift build -c release --product "$product" -Xswiftc -static-executable --scratch-path .build-static
        else
            swift build -c release --product "$product" --static-swift-stdlib --scratch-path .build-install
        fi
    fi
    [ -x "$binary" ] || { echo "install.sh: $binary is missing (run without --no-build)" >&2; exit 1; }
    if [ "$product" = systemd-cryptsetup-generator ]; then
        if ((distribution)); then
            gendir="$destdir/usr/lib/systemd/system-generators"
            if [ -e "$gendir/$product" ] && [ ! -e "$gendir/$product.orig" ]; then cp -a "$gendir/$product" "$gendir/$product.orig"; fi
        else
            gendir="$destdir/etc/systemd/system-generators"
        fi
        install -D -m 0755 "$binary" "$gendir/$product"
        echo "installed $gendir/$product" | sed 's#//*#/#g'
    else
        install -D -m 0755 "$binary" "$destdir/${prefix#/}/bin/$product"
        echo "installed $destdir/${prefix#/}/bin/$product" | sed 's#//*#/#g'
    fi
    # podrt's container monitor, where podrt looks for it when it is not beside podrt. It is C, compiled here by
    # the toolchain's clang: SwiftPM would link Swift's runtime (and libstdc++) into it, and the monitor starts
    # once per container, on the path of every `run` (2.7 ms to start against 1.2 ms, `perf stat -r 300`).
    if [ "$product" = podrt ]; then
        monitor=.build-install/monitor/podrt-monitor
        if ((build)); then
            mkdir -p "$(dirname "$monitor")"
            clang -O2 -Wall -Wextra -Werror -o "$monitor" Sources/podrt-monitor/main.c
        fi
        [ -x "$monitor" ] || { echo "install.sh: $monitor is missing (run without --no-build)" >&2; exit 1; }
        install -D -m 0755 "$monitor" "$destdir/usr/libexec/podrt/podrt-monitor"
        echo "installed $destdir/usr/libexec/podrt/podrt-monitor" | sed 's#//*#/#g'
        if ((docs)); then
            rm -rf .build-install/podrt-docs
            bash scripts/podrt-docs.sh "$binary" .build-install/podrt-docs
            docs_dir=.build-install/podrt-docs
            install -D -m 0644 $docs_dir/completions/podrt.bash "$destdir/usr/share/bash-completion/completions/podrt"
            install -D -m 0644 $docs_dir/completions/_podrt "$destdir/usr/share/zsh/vendor-completions/_podrt"
            install -D -m 0644 $docs_dir/completions/podrt.fish "$destdir/usr/share/fish/vendor_completions.d/podrt.fish"
            install -d "$destdir/${prefix#/}/share/man/man1"
            # generate-manual names a page podrt.container.ps.1; podman's are podman-container-ps.1 (`man podrt-ps`).
            for page in $docs_dir/man/*.1; do
                name=$(basename "$page" .1)
                install -m 0644 "$page" "$destdir/${prefix#/}/share/man/man1/${name//./-}.1"
            done
            echo "installed podrt's completions and $(ls $docs_dir/man | wc -l) man pages under $destdir" | sed 's#//*#/#g'
        fi
    fi
done
