#!/usr/bin/env bash
# Fuzzes CarePath's readers with libFuzzer: builds the targets in Fuzz/ (coverage and
# AddressSanitizer), seeds each from the shipped files, runs each for SECONDS, keeps what it finds.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     (default: all, 60 s each)
#
# Targets: pathway, scenario, bpmn, condition (docs/fuzzing.md says what each does).
# Kept in Fuzz/runs/TARGET/: corpus/ (inputs that found new coverage; grows over runs),
# crashes/ (crash-*, timeout-* (over 120 s), oom-* (over 2 GB) inputs, and slow-unit-* ones over 10 s,
# which are not failures), and the last run's log.txt.
# Exits 1 when any target found a crash, a timeout or ran out of memory, after running all.
# FUZZ_JOBS=N runs N processes per target (default 1); FUZZ_CONFIGURATION=release builds optimised.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
targets=(pathway scenario bpmn condition)
which=${1:-all}
seconds=${2:-60}
configuration=${FUZZ_CONFIGURATION:-debug}
if [[ $which != all && ! " ${targets[*]} " =~ " $which " ]]; then
  echo "fuzz.sh: unknown target '$which'; expected one of: all ${targets[*]}" >&2; exit 2
fi
if ! [[ $seconds =~ ^[0-9]+$ ]] || (( seconds < 1 )); then
  echo "fuzz.sh: expected a number of seconds (a whole number >= 1), found '$seconds'" >&2; exit 2
fi
[[ $which == all ]] && selected=("${targets[@]}") || selected=("$which")

start=$(date +%s)
echo "== building the fuzz targets ($configuration; the first build takes several minutes)"
mkdir -p Fuzz/runs
# SwiftPM keeps its build plan while only a dependency's files change, and this package's sources
# are such a dependency here: without this, a source file added to CarePath is not compiled.
find Fuzz/.build -maxdepth 3 -name description.json -delete 2>/dev/null || true
if ! (cd Fuzz && swift build -c "$configuration" --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address) > Fuzz/runs/build.log 2>&1; then
  grep -E -A5 'error:' Fuzz/runs/build.log | head -60 >&2
  echo "fuzz.sh: the fuzz targets did not build (Fuzz/runs/build.log)" >&2; exit 2
fi
bin=$root/Fuzz/.build/$configuration
echo "== built in $(( $(date +%s) - start )) s"

# Seeds, copied afresh from the shipped files on each run (none of them is committed under Fuzz/).
seed() {
  local target=$1 dir=$2
  rm -rf "$dir"; mkdir -p "$dir"
  case $target in
    pathway)
      cp Pathways/*.yaml "$dir"/
      cp Scenarios/reference/*-pathway.yaml "$dir"/ ;;
    scenario)
      # Each scenario with its pathway and bank holiday file, as the target reads them (Fuzz/Sources/FuzzHarness).
      local scenario pathway calendar
      for scenario in Scenarios/*.yaml Scenarios/reference/*.yaml; do
        pathway=$(sed -n 's/^pathway: *\([^ #]*\).*/\1/p' "$scenario")
        [[ -n $pathway && -f $(dirname "$scenario")/$pathway ]] || continue
        {
          cat "$scenario"
          echo "#=== pathway"; cat "$(dirname "$scenario")/$pathway"
          calendar=$(sed -n 's/^ *bank-holidays: *\([^ #]*\).*/\1/p' "$scenario")
          if [[ -n $calendar && -f $(dirname "$scenario")/$calendar ]]; then
            echo "#=== $calendar"; cat "$(dirname "$scenario")/$calendar"
          fi
        } > "$dir/$(basename "$scenario")"
      done ;;
    bpmn)
      cp Tests/CarePathInteropTests/Fixtures/*.bpmn "$dir"/ ;;
    condition)
      # Every condition written in the shipped pathways and scenarios, one per file.
      local n=0 condition
      while IFS= read -r condition; do
        n=$((n + 1)); printf '%s' "$condition" > "$dir/condition-$n"
      done < <(grep -rhoE 'when: *"[^"]*"' Pathways Scenarios | sed -E 's/when: *"(.*)"/\1/' | sort -u)
      ;;
  esac
  # Seeds of our own for what the shipped files do not show (calendars, rotas, levers).
  if [[ -d Fuzz/seeds/$target ]]; then cp Fuzz/seeds/"$target"/* "$dir"/; fi
}

failed=()
summary=()
for target in "${selected[@]}"; do
  work=Fuzz/runs/$target
  mkdir -p "$work/corpus" "$work/crashes"
  seed "$target" "$work/seeds"
  # Findings are crash-*, timeout-*, oom-* and leak-* files; slow-unit-* ones (over 10 s) are not.
  findings() { find "$work/crashes" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l; }
  before=$(findings)
  echo "== fuzz-$target for $seconds s (corpus: $(ls "$work/corpus" | wc -l) inputs, seeds: $(ls "$work/seeds" | wc -l))"
  dict=()
  [[ -f Fuzz/dictionaries/$target.dict ]] && dict=(-dict="Fuzz/dictionaries/$target.dict")
  parallel=()
  (( ${FUZZ_JOBS:-1} > 1 )) && parallel=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
  # FUZZ_SEED fixes libFuzzer's random seed (CI), so that a smoke run tries the same mutations each time.
  [[ -n ${FUZZ_SEED:-} ]] && parallel+=(-seed="$FUZZ_SEED")
  status=0
  # Swift's own backtracer would take the crash signal from libFuzzer, which then keeps no input.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
    "$bin/fuzz-$target" "$work/corpus" "$work/seeds" ${dict[@]+"${dict[@]}"} ${parallel[@]+"${parallel[@]}"} \
      -max_total_time="$seconds" -timeout=120 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$work/crashes/" -print_final_stats=1 > "$work/log.txt" 2>&1 || status=$?
  if (( ${FUZZ_JOBS:-1} > 1 )); then cat fuzz-*.log >> "$work/log.txt" 2>/dev/null || true; rm -f fuzz-*.log; fi
  runs=$(awk '/^stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }' "$work/log.txt")
  coverage=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$work/log.txt" | tail -1)
  found=$(( $(findings) - before ))
  line="fuzz-$target: $seconds s, $runs executions, ${coverage:-cov: ?}, corpus $(ls "$work/corpus" | wc -l), new findings $found"
  summary+=("$line")
  echo "$line"
  if (( status != 0 || found > 0 )); then
    failed+=("$target")
    echo "fuzz-$target FAILED (exit $status); findings in $work/crashes, log in $work/log.txt:" >&2
    # The error, its stack and the input (libFuzzer prints it in Base64), for a CI log to reproduce from.
    grep -E -m1 'Fatal error' "$work/log.txt" >&2 || true
    grep -E -A40 -m1 'ERROR: libFuzzer|^==[0-9]+==ERROR' "$work/log.txt" | grep -vE 'pulse|NEW |REDUCE' | head -50 >&2 || true
    grep -E 'Test unit written|^Base64:' "$work/log.txt" >&2 || true
  fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if (( ${#failed[@]} > 0 )); then
  echo "fuzzing found problems in: ${failed[*]} (reproduce: Fuzz/.build/$configuration/fuzz-TARGET FILE)" >&2
  exit 1
fi
