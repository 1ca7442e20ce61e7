#!/usr/bin/env bash
# Mutation testing: each entry of tests/mutation/mutations.txt is applied to a copy of the
# tree in build-mutate/, which is built incrementally and tested with the suite; a mutation
# is killed when a test fails, survived when all pass. The tests an entry names (`tests:`)
# run first and the run stops at the first failure, so a mutation they kill costs only them;
# one they do not kill gets the whole suite.
#   tests/mutation/mutate.sh            every mutation
#   tests/mutation/mutate.sh --ci       the sample marked `ci: yes`
#   tests/mutation/mutate.sh FILTER...  those whose name contains one of the FILTERs
# The tree is taken as it is at the start (committed or not); editing it meanwhile does not
# change the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
filters=("$@")
pristine=build-mutate/pristine copy=build-mutate/tree
# The copy's build folder sits where build/ sits in the tree, configured as bootstrap
# configures build/ (IPCSIM_BUILD_FLAGS), so that ccache, based at this tree's root, finds
# build/'s objects for every file the mutation leaves alone.
build=$copy/build
flags=(${IPCSIM_BUILD_FLAGS:--DCMAKE_BUILD_TYPE=RelWithDebInfo})
items=(CMakeLists.txt cmake man completion schema src tests bench scenarios models results)
rm -rf "$pristine"
mkdir -p "$pristine" "$copy"
cp -r "${items[@]}" "$pristine/"
# The copy gets only the files that differ (the rest keep their times and need no rebuild).
(cd "$pristine" && find "${items[@]}" -type f) | while IFS= read -r f; do
  if ! cmp -s "$pristine/$f" "$copy/$f"; then
    mkdir -p "$(dirname "$copy/$f")"
    cp "$pristine/$f" "$copy/$f"
  fi
done
(cd "$copy" && find "${items[@]}" -type f 2>/dev/null) | while IFS= read -r f; do
  [[ -e $pristine/$f ]] || rm -f "$copy/$f"
done
cmake -S "$copy" -B "$build" "${flags[@]}" -DIPCSIM_CCACHE_BASEDIR="$(pwd)" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

# Replaces the first line of `file` equal to `from` with `to`; false when there is none.
replace_line() {
  local file=$1 from=$2 to=$3 done=0 line
  local out=()
  while IFS= read -r line || [[ -n $line ]]; do
    if ((done == 0)) && [[ $line == "$from" ]]; then
      out+=("$to")
      done=1
    else
      out+=("$line")
    fi
  done <"$file"
  ((done)) || return 1
  printf '%s\n' "${out[@]}" >"$file"
}

chosen() {
  local name=$1 ci=$2 filter
  ((${#filters[@]} == 0)) && return 0
  [[ ${filters[0]} == --ci ]] && { [[ $ci == yes ]]; return; }
  for filter in "${filters[@]}"; do
    [[ $name == *"$filter"* ]] && return 0
  done
  return 1
}

killed=0 survived=0 broken=0
report() { printf '%-9s %s%s\n' "$1" "$2" "${3:+  ($3)}"; }
# The suite, or the tests matching $1, stopping at the first failure; false when one failed.
suite_passes() {
  output=$(ctest --test-dir "$build" -j"$(nproc)" --timeout 300 --stop-on-failure ${1:+-R "$1"} 2>&1)
}
run_one() {
  local name=$1 file=$2 from=$3 to=$4 tests=$5
  if ! replace_line "$copy/$file" "$from" "$to"; then
    report BROKEN "$name" "line not found in $file"
    broken=$((broken + 1))
    return 0
  fi
  if ! cmake --build "$build" -j"$(nproc)" >/dev/null 2>&1; then
    report KILLED "$name" "does not compile"
    killed=$((killed + 1))
  elif { [[ -n $tests ]] && ! suite_passes "$tests"; } || ! suite_passes ""; then
    # The failed tests, as ctest lists them at the end: "	 49 - name (Failed)".
    report KILLED "$name" "$(grep -E '^\s+[0-9]+ - ' <<<"$output" | head -3 | sed -E 's/^\s+[0-9]+ - //; s/ \(.*//' |
      paste -sd ';' -)"
    killed=$((killed + 1))
  else
    report SURVIVED "$name"
    survived=$((survived + 1))
  fi
  cp "$pristine/$file" "$copy/$file"
}

name='' file='' from='' to='' ci='' tests=''
# Read on descriptor 3: the builds and ctest inherit standard input and would eat the list.
while IFS= read -r -u 3 line || [[ -n $line ]]; do
  case $line in
    '#'*) ;;
    'name: '*) name=${line#name: } ;;
    'file: '*) file=${line#file: } ;;
    'from: '*) from=${line#from: } ;;
    'to: '*) to=${line#to: } ;;
    'ci: '*) ci=${line#ci: } ;;
    'tests: '*) tests=${line#tests: } ;;
    '')
      [[ -n $name ]] && chosen "$name" "$ci" && run_one "$name" "$file" "$from" "$to" "$tests"
      name='' file='' from='' to='' ci='' tests=''
      ;;
  esac
done 3<"$pristine/tests/mutation/mutations.txt"
[[ -n $name ]] && chosen "$name" "$ci" && run_one "$name" "$file" "$from" "$to" "$tests"
cmake --build "$build" -j"$(nproc)" >/dev/null 2>&1 || true
echo "killed $killed, survived $survived, broken $broken"
((survived == 0 && broken == 0))
