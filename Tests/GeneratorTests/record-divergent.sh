#!/bin/bash
# Records OUR generator's output for every `divergent` fixture case into DivergentExpected/<case>/, in the
# fixture layout (rc, stderr, manifest, normal/, runtime/). Review the result against the case's systemd/
# recording and DIVERGENCES.md before committing. Needs root (record.sh uses unshare and overlayfs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gen=${GENERATOR:-$root/.build/debug/systemd-cryptsetup-generator}
fixtures=$root/Fixtures/generator
for marker in "$fixtures"/*/divergent; do
    case_dir=$(dirname "$marker")
    name=$(basename "$case_dir")
    rm -rf "$here/DivergentExpected/$name"
    SYSTEMD_GENERATOR=$gen "$fixtures/record.sh" --no-debug --to "$here/DivergentExpected/$name" "$case_dir" >/dev/null
    echo "recorded $name: rc $(cat "$here/DivergentExpected/$name/rc")"
done
