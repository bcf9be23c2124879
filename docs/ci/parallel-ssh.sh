#!/usr/bin/env bash
# bootsim's seeds over ssh with GNU parallel: SHARDS shards of `bootsim run` spread over HOSTs, one at a time
# per host, each shard's JSON report sent back on its standard output, then merged here (docs/reports.md).
#
#   docs/ci/parallel-ssh.sh ci1 ci2 user@ci3 ci4             # 4 shards, one per host
#   SHARDS=8 SEEDS=5000 docs/ci/parallel-ssh.sh ci1 ci2       # 8 shards, 4 per host in turn
#   SHARDS=4 SEEDS=100 docs/ci/parallel-ssh.sh : :            # ':' is this machine (no ssh): a dry run
#
# Each HOST needs, at REMOTE_DIR (default: this checkout's path), a checkout of the same commit with
# `swift build -c release --product bootsim` done; this machine needs GNU parallel and its own bootsim build
# (for the merge). RUN_ARGS go to every `bootsim run` (e.g. RUN_ARGS="--bug volume-locks-not-reserved").
# MERGE_ARGS go to `bootsim merge` (default: a JUnit and a JSON report in this directory). The exit status
# is the merge's: 0 every seed passed, 1 a seed failed, 65 a shard's report is missing or they do not merge.
set -euo pipefail
cd "$(dirname "$0")/../.."
(($#)) || { echo "usage: $0 HOST...   (':' is this machine)" >&2; exit 64; }
shards=${SHARDS:-$#}
seeds=${SEEDS:-1000}
remote=${REMOTE_DIR:-$PWD}
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

# One job slot per host: a shard uses the host's cores itself (bootsim run --jobs).
logins=$(printf '1/%s,' "$@")
# On the host, the report goes to the standard output (fd 3 there) and bootsim's own lines to its standard
# error; parallel saves them as shard-K and shard-K.err (a --results name ending in .json would mean
# parallel's own JSON). A shard that finds failing seeds exits 1 with its report written: that is a shard
# done, so only other statuses count as a failed job.
seq 1 "$shards" | parallel --sshlogin "${logins%,}" --results "$reports/shard-{}" \
    "cd '$remote' && { .build/release/bootsim run --seeds $seeds --shard {}/$shards ${RUN_ARGS:-} --jobs \$(nproc) \
        --report json /dev/fd/3 3>&1 1>&2; test \$? -le 1; }" || echo "parallel: some shard did not finish (its exit status above)" >&2

for k in $(seq 1 "$shards"); do
    echo "== shard $k/$shards: $(tail -n 1 "$reports/shard-$k.err" 2>/dev/null || echo 'no output')"
    # A shard that wrote nothing has no report: the merge then refuses (65) naming the missing shard.
    if [ -s "$reports/shard-$k" ]; then mv "$reports/shard-$k" "$reports/shard-$k.json"; fi
done
# shellcheck disable=SC2086
.build/release/bootsim merge "$reports"/shard-*.json ${MERGE_ARGS:---report junit bootsim.xml --report json bootsim.json}
