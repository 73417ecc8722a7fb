#!/usr/bin/env bash
# Test driver: runs the named stages in order and prints how long each took.
# `tests/run.sh all` is what `make test` (and CI) runs.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/.venv/bin:$PATH" ANSIBLE_CONFIG="$ROOT/ansible.cfg" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0

ALL=(setup docker images yamllint ansible-lint sanity unit integration molecule vm)
stages=("$@")
[ "${stages[*]:-all}" = all ] && stages=("${ALL[@]}")

scenarios=${MOLECULE_SCENARIOS:-$(ls molecule | grep -v '^shared$' | sort | tr '\n' ' ')}

stage_setup()        { make --no-print-directory setup; }
stage_docker()       { tests/docker/ensure-docker.sh; }
stage_images()       { for suite in bookworm trixie; do tests/images/build-node-image.sh "$suite" || return 1; done; }
stage_yamllint()     { yamllint --strict .; }
stage_ansible-lint() { ansible-lint --offline --profile production; }
stage_sanity()       { tests/sanity/run-sanity.sh; }
stage_unit()         { python -m pytest -q tests/unit; }
stage_integration()  { python -m pytest -q tests/integration; }
stage_vm()           { tests/vm/nfs-export-test.sh; }
stage_molecule() {
  local scenario rc=0
  for scenario in $scenarios; do
    local start=$SECONDS
    echo "=== molecule test -s $scenario"
    if molecule test -s "$scenario"; then
      timings+=("  molecule/$scenario: $((SECONDS - start))s ok")
    else
      timings+=("  molecule/$scenario: $((SECONDS - start))s FAILED")
      rc=1
    fi
  done
  return $rc
}

timings=()
failed=0
total_start=$SECONDS
for stage in "${stages[@]}"; do
  echo "=== stage $stage"
  start=$SECONDS
  if "stage_$stage"; then result=ok; else result=FAILED; failed=1; fi
  timings+=("$(printf '%-14s %5ss %s' "$stage" $((SECONDS - start)) "$result")")
  [ $failed = 1 ] && [ "$stage" != molecule ] && [ "$stage" != vm ] && [ "${KEEP_GOING:-0}" != 1 ] && break
done

echo
echo "=== time per stage"
printf '%s\n' "${timings[@]}"
printf '%-14s %5ss\n' total $((SECONDS - total_start))
if [ $failed = 0 ]; then echo "all stages passed"; else echo "some stages FAILED"; fi
exit $failed
