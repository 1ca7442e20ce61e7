# bash completion for ipcsim: verbs, each verb's options (read from its own --help, so they
# never go stale), file names after an option that takes a file, scenario files for run and
# validate, CSV files for the verbs that read them, and model names after --set model=. Installed as
# share/bash-completion/completions/ipcsim; to try it from a build: source completion/ipcsim.bash

# Model names: NAME.yaml and NAME.xml along ipcsim's model search path (the working folder,
# its models/, IPCSIM_MODEL_PATH, then the models installed beside the binary).
_ipcsim_models() {
  local binary=$1 folder file
  local -a folders=(. ./models)
  local IFS=:
  folders+=($IPCSIM_MODEL_PATH)
  unset IFS
  binary=$(command -v -- "$binary" 2>/dev/null) && folders+=("${binary%/*}/../share/ipcsim/models" "${binary%/*}/../models")
  for folder in "${folders[@]}"; do
    for file in "$folder"/*.yaml "$folder"/*.xml; do
      [[ -f $file ]] || continue
      file=${file##*/}
      printf '%s\n' "${file%.*}"
    done
  done
}

_ipcsim() {
  local binary=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local verb=${COMP_WORDS[1]:-}
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    local verbs
    verbs=$("$binary" --help 2>/dev/null | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z]*\) .*/\1/p')
    mapfile -t COMPREPLY < <(compgen -W "$verbs --help --version" -- "$cur")
    return
  fi
  # An option whose help says it takes a FILE: any file name.
  if [[ $prev == -* ]] && "$binary" "$verb" --help 2>/dev/null | grep -qE -- "(^| |,)$prev(,| ).*:FILE"; then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return
  fi
  # bash splits --set model=la at the '=' (COMP_WORDBREAKS): read the line itself.
  local line=${COMP_LINE:0:COMP_POINT}
  if [[ $line =~ --set[[:space:]]+model=([^[:space:]]*)$ ]]; then
    local prefix=
    [[ $cur == model=* ]] && prefix=model=
    mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "$(_ipcsim_models "$binary" | sort -u)" -- "${BASH_REMATCH[1]}")
    return
  fi
  if [[ $cur == -* ]]; then
    local options
    options=$("$binary" "$verb" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ,')
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
    return
  fi
  local pattern
  case $verb in
    run | validate | verify) pattern='!*.yaml' ;;
    merge | compare | plot | timeline | report) pattern='!*.csv' ;;
    *) return ;;
  esac
  # Folders too, to walk into them.
  mapfile -t COMPREPLY < <({
    compgen -f -X "$pattern" -- "$cur"
    compgen -d -- "$cur"
  } | sort -u)
}

complete -o filenames -F _ipcsim ipcsim
