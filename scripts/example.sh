#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs CarePath's main job on a shipped example:
# validates the shipped pathways and scenarios, draws the discharge pathway, and simulates the
# discharge scenario's architecture options, writing the results under Reports/.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
pkg-config --exists libgvc 2>/dev/null || need+=(libgraphviz-dev)
[ -e /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"
fi

swift build -c release --product carepath
bin=.build/release/carepath
mkdir -p Reports/discharge-architectures
$bin validate Pathways/*.yaml Scenarios/*.yaml
$bin render Pathways/discharge-to-assess.yaml -o Reports/discharge-architectures/pathway.svg
$bin simulate Scenarios/discharge-architectures.yaml --json Reports/discharge-architectures/summary.json \
  | tee Reports/discharge-architectures/summary.txt
echo "Results: Reports/discharge-architectures/ (pathway.svg, summary.txt, summary.json)"
