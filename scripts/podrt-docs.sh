#!/usr/bin/env bash
# podrt's shell completions and man pages (issue 21, item 3), from argument-parser:
#
#   scripts/podrt-docs.sh PODRT_BINARY OUTDIR
#
# writes OUTDIR/completions/{podrt.bash,_podrt,podrt.fish} (`podrt --generate-completion-script SHELL`) and
# OUTDIR/man/podrt.1, podrt.ps.1, … one page per command. The pages are argument-parser's generate-manual tool
# (the same tool its `generate-manual` package plugin runs) over `podrt --experimental-dump-help`; the tool is
# built from the argument-parser checkout SwiftPM already has, offline, in .build-tools. The plugin itself
# (`swift package plugin generate-manual`) also works here, but first builds every product in debug mode.
set -euo pipefail
cd "$(dirname "$0")/.."
podrt=${1:?usage: scripts/podrt-docs.sh PODRT_BINARY OUTDIR}
out=${2:?usage: scripts/podrt-docs.sh PODRT_BINARY OUTDIR}
export PATH="/opt/swift/usr/bin:$PATH"

mkdir -p "$out/completions" "$out/man"
"$podrt" --generate-completion-script bash > "$out/completions/podrt.bash"
"$podrt" --generate-completion-script zsh > "$out/completions/_podrt"
"$podrt" --generate-completion-script fish > "$out/completions/podrt.fish"

parser=
for dir in .build-install/checkouts/swift-argument-parser .build/checkouts/swift-argument-parser; do
    [ -f "$dir/Package.swift" ] && { parser=$dir; break; }
done
[ -n "$parser" ] || { echo "podrt-docs.sh: no swift-argument-parser checkout (build podrt first)" >&2; exit 1; }
swift build -c release --package-path "$parser" --product generate-manual --scratch-path .build-tools >&2
.build-tools/release/generate-manual "$podrt" --multi-page --authors "the podrt authors" --output-directory "$out/man" >&2
ls "$out/man" | grep -q '^podrt.1$' || { echo "podrt-docs.sh: generate-manual wrote no podrt.1" >&2; exit 1; }
