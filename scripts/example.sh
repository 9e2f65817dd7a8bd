#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs CarePath's main job on a shipped example:
# validates the shipped pathways and scenarios, draws the discharge pathway, and compares the
# discharge scenario's architecture options in a report under Reports/discharge-architectures/.
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
$bin simulate Scenarios/discharge-architectures.yaml --report Reports/discharge-architectures/index.html \
  --json Reports/discharge-architectures/summary.json --csv Reports/discharge-architectures/metrics.csv
echo "Report: Reports/discharge-architectures/index.html (also pathway.svg, summary.json, metrics.csv;"
echo "the run is stored in Reports/carepath.sqlite: carepath runs)"
