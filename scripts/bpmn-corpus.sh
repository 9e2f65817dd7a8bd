#!/usr/bin/env bash
# Import figures on a corpus of BPMN files, without committing anyone's files:
#
#   scripts/bpmn-corpus.sh generate DIR [COUNT] [SEED]   writes COUNT (default 300) varied BPMN
#       collaborations into DIR: pools with and without processes, named and unnamed lanes, tasks
#       of every kind, exclusive/parallel/event gateways, send-and-continue message flows, black-box
#       pools, prefixes (bpmn:, bpmn2:, semantic:, default namespace), QName references, vendor
#       extensions with odd namespaces, data objects, timers, subprocesses; and a share of broken
#       files (truncated, a repeated attribute, an unclosed comment, not BPMN, no process, empty).
#   scripts/bpmn-corpus.sh import DIR... [--binary PATH]  runs `carepath import bpmn` on every
#       .bpmn/.xml file under the DIRs (into a scratch folder) and prints the figures: imported,
#       refused (grouped by message), crashed (exit status other than 0 and 1: must be 0), warnings
#       (grouped by message), and the time per file.
#   scripts/bpmn-corpus.sh xsd DIR XSD_DIR               validates every file in DIR with
#       `xmllint --schema XSD_DIR/BPMN20.xsd` and prints how many pass.
#
# Keep the corpus out of the repository: put DIR under /tmp.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

generate() {
    local dir="$1" count="${2:-300}" seed="${3:-1}"
    mkdir -p "$dir"
    python3 - "$dir" "$count" "$seed" <<'PY'
import os, random, sys
from xml.sax.saxutils import quoteattr

out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
WORDS = ["Triage", "Assess", "Refer", "Review", "Admit", "Discharge", "Scan", "Prescribe", "Visit",
         "Call back", "Book", "Plan care", "Check records", "Send letter", "Order test", "Report",
         "Évaluer", "Überweisen", "訪問", "Care & support", "Team <A>", "\"Quoted\" step"]
TASKS = ["task", "userTask", "serviceTask", "manualTask", "sendTask", "receiveTask", "scriptTask",
         "businessRuleTask", "callActivity", "subProcess"]

class Doc:
    def __init__(self, prefix, qname_refs):
        self.p = prefix + ":" if prefix else ""
        self.prefix = prefix
        self.qname = qname_refs and bool(prefix)
        self.n = 0
        self.lines = []
    def id(self, kind):
        self.n += 1
        return f"{kind}_{self.n}"
    def ref(self, i):
        return f"{self.prefix}:{i}" if self.qname else i
    def el(self, name, attrs, body=None, indent=2):
        a = "".join(f" {k}={quoteattr(str(v))}" for k, v in attrs.items() if v is not None)
        pad = " " * indent
        if body is None:
            self.lines.append(f"{pad}<{self.p}{name}{a}/>")
        else:
            self.lines.append(f"{pad}<{self.p}{name}{a}>")
            body()
            self.lines.append(f"{pad}</{self.p}{name}>")

def process(doc, pid, lanes, named_lanes, empty, extension):
    nodes, flows, msg_nodes = [], [], []
    if empty:
        doc.el("process", {"id": pid, "isExecutable": "false"}, indent=2)
        return nodes, msg_nodes
    def body():
        start = doc.id("Start")
        seq = [start]
        kinds = [("startEvent", start)]
        for _ in range(rng.randint(1, 6)):
            r = rng.random()
            if r < 0.15:
                g = doc.id("Gateway")
                gk = rng.choice(["exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway"])
                a, b = doc.id("Task"), doc.id("Task")
                j = doc.id("Gateway")
                kinds += [(gk, g), ("task", a), ("task", b), ("exclusiveGateway" if gk != "parallelGateway" else gk, j)]
                flows.append((seq[-1], g))
                flows.append((g, a)); flows.append((g, b)); flows.append((a, j)); flows.append((b, j))
                seq.append(j)
                continue
            if r < 0.22:
                t = doc.id("Timer")
                kinds.append(("intermediateCatchEvent:timer", t))
            elif r < 0.28:
                t = doc.id("Catch")
                kinds.append(("intermediateCatchEvent:message", t))
            else:
                t = doc.id("Activity")
                kinds.append((rng.choice(TASKS), t))
            flows.append((seq[-1], t))
            seq.append(t)
        end = doc.id("End")
        kinds.append(("endEvent", end))
        flows.append((seq[-1], end))
        for kind, i in kinds:
            name = rng.choice(WORDS) if rng.random() < 0.9 else None
            base, _, detail = kind.partition(":")
            inner = []
            if detail == "timer":
                inner.append(lambda: doc.el("timerEventDefinition", {"id": doc.id("Def")}, indent=6))
            elif detail == "message" or (base == "startEvent" and rng.random() < 0.2):
                inner.append(lambda: doc.el("messageEventDefinition", {"id": doc.id("Def")}, indent=6))
            if extension and rng.random() < 0.3:
                def ext():
                    doc.lines.append('      <' + doc.p + 'extensionElements><odd:setting xmlns:odd="vendor/relative" value="1"/></' + doc.p + 'extensionElements>')
                inner.insert(0, ext)
            def run(inner=inner):
                for f in inner: f()
            doc.el(base, {"id": i, "name": name}, run if inner else None, indent=4)
            if base not in ("startEvent", "endEvent") and "Gateway" not in base:
                msg_nodes.append(i)
            nodes.append(i)
        for (s, t) in flows:
            doc.el("sequenceFlow", {"id": doc.id("Flow"), "sourceRef": s, "targetRef": t}, indent=4)
        if rng.random() < 0.3:
            d = doc.id("DataObject")
            doc.el("dataObject", {"id": d}, indent=4)
            doc.el("dataObjectReference", {"id": doc.id("DataRef"), "name": "Summary", "dataObjectRef": d}, indent=4)
        if lanes:
            def laneset():
                chunks = [nodes[i::lanes] for i in range(lanes)]
                for k, chunk in enumerate(chunks):
                    def refs(chunk=chunk):
                        for n in chunk: doc.lines.append(f"        <{doc.p}flowNodeRef>{n}</{doc.p}flowNodeRef>")
                    doc.el("lane", {"id": doc.id("Lane"), "name": (rng.choice(["Nurse", "GP", "Social worker", "Clerk", "Pharmacist"]) if named_lanes else None)}, refs, indent=6)
            doc.el("laneSet", {"id": doc.id("LaneSet")}, laneset, indent=4)
    doc.el("process", {"id": pid, "isExecutable": "false"}, body, indent=2)
    return nodes, msg_nodes

def document(k):
    prefix = rng.choice(["bpmn", "bpmn2", "semantic", "", "model"])
    doc = Doc(prefix, rng.random() < 0.3)
    pools = rng.randint(1, 4)
    blackbox = rng.random() < 0.3
    extension = rng.random() < 0.2
    ns = f'xmlns{":" + prefix if prefix else ""}="{MODEL}"'
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            f'<{doc.p}definitions {ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs_{k}" targetNamespace="http://example.org/corpus/{k}">']
    participants, all_msg = [], []
    procs = []
    for i in range(pools):
        pid = f"Process_{k}_{i}"
        bb = blackbox and i == pools - 1 and pools > 1
        participants.append((f"Participant_{k}_{i}", rng.choice(["Hospital", "GP practice", "Council", "Community team", "Pharmacy", "Care home", "Patient"]) + f" {i}", None if bb else pid))
        if not bb:
            procs.append((pid, rng.choice([0, 0, 1, 2, 3]), rng.random() < 0.7, rng.random() < 0.08))
    body_lines = []
    doc.lines = body_lines
    # Processes first (so their nodes are known), collaboration written before them below.
    proc_lines = []
    doc.lines = proc_lines
    per_pool = []
    for pid, lanes, named, empty in procs:
        nodes, msg = process(doc, pid, lanes, named, empty, extension)
        per_pool.append(msg)
    collab = []
    doc.lines = collab
    if pools > 1 or rng.random() < 0.5:
        def c():
            for pid_, name, ref in participants:
                doc.el("participant", {"id": pid_, "name": name, "processRef": doc.ref(ref) if ref else None}, indent=4)
            senders = [n for msg in per_pool for n in msg]
            for _ in range(rng.randint(0, 4) if len(per_pool) > 1 or blackbox else 0):
                if len(per_pool) < 2 and not blackbox: break
                a = rng.randrange(len(per_pool))
                if not per_pool[a]: continue
                s = rng.choice(per_pool[a])
                if blackbox and rng.random() < 0.5:
                    t = participants[-1][0]
                else:
                    others = [m for j, m in enumerate(per_pool) if j != a and m]
                    if not others: continue
                    t = rng.choice(rng.choice(others))
                if rng.random() < 0.5: s, t = t, s
                doc.el("messageFlow", {"id": doc.id("MessageFlow"), "sourceRef": doc.ref(s), "targetRef": doc.ref(t)}, indent=4)
        doc.el("collaboration", {"id": f"Collaboration_{k}"}, c, indent=2)
    text = "\n".join(head + collab + proc_lines + [f"</{doc.p}definitions>", ""])
    return text

def broken(k, text):
    kind = k % 6
    if kind == 0: return text[: len(text) // 2]
    if kind == 1: return text.replace('id="Defs_', 'id="X" id="Defs_', 1)
    if kind == 2: return text.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- never closed\n", 1)
    if kind == 3: return '<?xml version="1.0"?>\n<html><body>not a model</body></html>\n'
    if kind == 4: return f'<?xml version="1.0"?>\n<definitions xmlns="{MODEL}" id="D" targetNamespace="x"/>\n'
    return ""

for k in range(count):
    text = document(k)
    name = f"gen-{k:04d}.bpmn"
    if k % 10 == 9:
        text = broken(k // 10, text)
        name = f"gen-{k:04d}-broken.bpmn"
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)
print(f"{count} files in {out} ({count // 10} deliberately broken)")
PY
}

import_all() {
    local binary="$here/.build/release/carepath" dirs=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --binary) binary="$2"; shift 2 ;;
            *) dirs+=("$1"); shift ;;
        esac
    done
    [ -x "$binary" ] || binary="$here/.build/debug/carepath"
    [ -x "$binary" ] || { echo "no carepath binary: swift build -c release --product carepath" >&2; exit 1; }
    local scratch
    scratch="$(mktemp -d /tmp/bpmn-corpus-run.XXXXXX)"
    find "${dirs[@]}" -type f \( -name '*.bpmn' -o -name '*.bpmn2' -o -name '*.xml' \) -print0 | sort -z |
    while IFS= read -r -d '' f; do
        local start end rc
        start=$(date +%s%N)
        rc=0
        "$binary" import bpmn "$f" -o "$scratch/out.yaml" >"$scratch/stdout" 2>"$scratch/stderr" || rc=$?
        end=$(date +%s%N)
        # One JSON line a file: name, exit status, milliseconds, the messages.
        python3 - "$f" "$rc" "$(( (end - start) / 1000 ))" "$scratch/stderr" <<'PY'
import json, sys
f, rc, us, err = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lines = open(err, encoding="utf-8", errors="replace").read().splitlines()
print(json.dumps({"file": f, "rc": rc, "us": us, "stderr": lines}))
PY
    done >"$scratch/results.jsonl"
    python3 - "$scratch/results.jsonl" <<'PY'
import json, re, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
def shape(line):
    # The message without its place and ids: what kind of thing was said.
    line = re.sub(r"^.*?:\d+:\d+: ", "", line)
    line = re.sub(r"^[^:]*\.(bpmn2?|xml): ", "", line)
    line = re.sub(r"'[^']*'", "'…'", line)
    line = re.sub(r"\"[^\"]*\"", "\"…\"", line)
    line = re.sub(r"\b[A-Za-z]+[._][A-Za-z0-9_.:-]+\b", "ID", line)
    line = re.sub(r"\d+", "N", line)
    return line[:140]
imported = [r for r in rows if r["rc"] == 0]
refused = [r for r in rows if r["rc"] == 1]
crashed = [r for r in rows if r["rc"] not in (0, 1)]
print(f"files: {len(rows)}")
print(f"imported: {len(imported)}")
print(f"refused (exit 1): {len(refused)}")
print(f"crashed (any other exit status): {len(crashed)}")
for r in crashed: print(f"  CRASH {r['rc']}: {r['file']}")
warnings = [l for r in imported for l in r["stderr"] if "warning:" in l]
print(f"warnings: {len(warnings)} over {sum(1 for r in imported if any('warning:' in l for l in r['stderr']))} imported file(s)")
def table(title, lines):
    counts = {}
    for l in lines: counts[shape(l)] = counts.get(shape(l), 0) + 1
    print(title)
    for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:25]: print(f"  {v:5d}  {k}")
table("refusals by message (first error line of each refused file):",
      [next((l for l in r["stderr"] if "error" in l), r["stderr"][0] if r["stderr"] else "(no message)") for r in refused])
table("warnings by message:", [l.split("warning: ", 1)[1] for l in warnings])
if rows:
    ms = sorted(r["us"] / 1000 for r in rows)
    print(f"time per file (process start to exit): median {statistics.median(ms):.1f} ms, "
          f"p90 {ms[int(len(ms) * 0.9) - 1 if len(ms) >= 10 else -1]:.1f} ms, max {ms[-1]:.1f} ms")
PY
    rm -rf "$scratch"
}

xsd() {
    local dir="$1" schema="$2/BPMN20.xsd" pass=0 fail=0
    for f in "$dir"/*.bpmn; do
        if xmllint --noout --schema "$schema" "$f" >/dev/null 2>"$f.xsd.txt"; then pass=$((pass + 1)); rm -f "$f.xsd.txt"
        else fail=$((fail + 1)); echo "FAIL $f"; head -5 "$f.xsd.txt"; fi
    done
    echo "valid against $schema: $pass, invalid: $fail"
}

case "${1:-}" in
    generate) shift; generate "$@" ;;
    import) shift; import_all "$@" ;;
    xsd) shift; xsd "$@" ;;
    *) sed -n '2,18p' "$0" >&2; exit 2 ;;
esac
