#!/usr/bin/env bash
# The "Open in PyTorch" check (issue 17): `optlab export-torch` on every spec in this folder, then
# each generated script under python3 with torch, which must report that every run matches OptLab
# to 1e-9. Then one script with an OptLab loss nudged must fail, so the check itself can fail.
# usage: run.sh PATH/TO/optlab       Exit 77 (ctest's skip) when no python3 has torch.
# OPTLAB_TORCH_PYTHON: the python to use (default: /usr/bin/python3, then python3 on PATH).
set -uo pipefail
cli=$1
dir=$(cd "$(dirname "$0")" && pwd)

py=""
for candidate in ${OPTLAB_TORCH_PYTHON:-/usr/bin/python3 python3}; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import torch" >/dev/null 2>&1; then
    py=$candidate
    break
  fi
done
if [ -z "$py" ]; then
  echo "SKIPPED: no python3 with torch here (Debian: apt-get install python3-torch); the generated PyTorch scripts were not run"
  exit 77
fi
echo "python: $py, torch $("$py" -c 'import torch; print(torch.__version__)')"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
count=0
for spec in "$dir"/*.json; do
  name=$(basename "$spec" .json)
  script="$out/$name.py"
  count=$((count + 1))
  if ! "$cli" export-torch "$spec" >"$script"; then
    echo "FAIL $name: optlab export-torch failed"
    failed=$((failed + 1))
    continue
  fi
  runs=$(grep -c '^     "OPTLAB_LOSS": \[' "$script")
  if log=$("$py" -W ignore "$script" 2>&1) && grep -qx "all $runs runs match OptLab to 1e-09" <<<"$log"; then
    echo "ok   $name: $runs runs"
  else
    echo "FAIL $name:"
    echo "$log"
    failed=$((failed + 1))
  fi
done

# A wrong number must be caught: step 3's OptLab loss of the first run, times 1 + 1e-6.
tampered="$out/tampered.py"
"$cli" export-torch "$dir/landscapes_rosenbrock.json" >"$tampered"
"$py" - "$tampered" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
match = re.search(r'"OPTLAB_LOSS": \[([^,]+), ([^,]+), ([^,]+), ([^,]+),', text)
value = float(match.group(4)) * (1 + 1e-6)
text = text[:match.start(4)] + repr(value) + text[match.end(4):]
open(path, "w").write(text)
PY
if log=$("$py" -W ignore "$tampered" 2>&1); then
  echo "FAIL: a script whose OptLab loss was changed by 1e-6 still reported a match:"
  echo "$log"
  failed=$((failed + 1))
elif ! grep -q "Nesterov: .*: DIFFERS" <<<"$log"; then
  echo "FAIL: the changed script failed without naming the run that differs:"
  echo "$log"
  failed=$((failed + 1))
else
  echo "ok   a changed OptLab loss is caught"
fi

echo "$count scripts, $failed failures"
[ "$failed" -eq 0 ]
