# bash completion for ipcsim: verbs, each verb's options (read from its own --help, so they
# never go stale), file names after an option that takes a file, scenario files for run and
# validate, CSV files for the verbs that read them, and model names after --set model=. Installed as
# share/bash-completion/completions/ipcsim; to try it from a build: source completion/ipcsim.bash

# Every word offered is data: file names (of models, here or in a shared folder) may hold
# $(...), backquotes, globs or newlines, and compgen -W would expand them, so words are matched
# against what is typed by a plain prefix test and appended to COMPREPLY whole.
# Usage: _ipcsim_offer PREFIX TYPED WORD...  offers PREFIX+WORD for each WORD starting with TYPED.
_ipcsim_offer() {
  local prefix=$1 typed=$2 word
  shift 2
  for word; do
    [[ $word == "$typed"* ]] && COMPREPLY+=("$prefix$word")
  done
  return 0
}

# Model names: NAME.yaml and NAME.xml along ipcsim's model search path (the working folder,
# its models/, IPCSIM_MODEL_PATH, then the models installed beside the binary), into the
# array named by $2, each once.
_ipcsim_models() {
  local binary=$1 folder file name
  local -n names=$2
  local -A seen=()
  local -a folders=(. ./models)
  local IFS=:
  folders+=($IPCSIM_MODEL_PATH)
  unset IFS
  binary=$(command -v -- "$binary" 2>/dev/null) && folders+=("${binary%/*}/../share/ipcsim/models" "${binary%/*}/../models")
  for folder in "${folders[@]}"; do
    for file in "$folder"/*.yaml "$folder"/*.xml; do
      [[ -f $file ]] || continue
      name=${file##*/}
      name=${name%.*}
      [[ -n ${seen[$name]+set} ]] && continue
      seen[$name]=1
      names+=("$name")
    done
  done
}

# Whether the verb's --help lists the option with a FILE value (help text is the binary's own,
# but the option is what was typed: compared as a string, never as a pattern).
_ipcsim_takes_file() {
  local binary=$1 verb=$2 option=$3 line word
  local -a words
  while IFS= read -r line; do
    [[ $line == *:FILE* ]] || continue
    read -ra words <<<"${line//,/ }"
    for word in "${words[@]}"; do
      [[ $word == "$option" ]] && return 0
    done
  done < <("$binary" "$verb" --help 2>/dev/null)
  return 1
}

# Files and folders (to walk into) whose names start with TYPED and, for files, end with
# SUFFIX (empty: any). A glob over the typed text taken literally, so a name with a newline
# stays one word; a leading ~/ is the home folder, as compgen -f reads it.
_ipcsim_files() {
  local typed=$1 suffix=$2 path=$1 file
  [[ $typed == "~/"* ]] && path=$HOME/${typed#"~/"}
  for file in "$path"*; do
    [[ -e $file || -L $file ]] || continue
    [[ -d $file || $file == *"$suffix" ]] || continue
    [[ $path != "$typed" ]] && file="~/${file#"$HOME/"}"
    COMPREPLY+=("$file")
  done
  return 0
}

_ipcsim() {
  local binary=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local verb=${COMP_WORDS[1]:-}
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    local -a verbs
    mapfile -t verbs < <("$binary" --help 2>/dev/null | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z]*\) .*/\1/p')
    _ipcsim_offer "" "$cur" "${verbs[@]}" --help --version
    return
  fi
  # An option whose help says it takes a FILE: any file name.
  if [[ $prev == -* ]] && _ipcsim_takes_file "$binary" "$verb" "$prev"; then
    _ipcsim_files "$cur" ""
    return
  fi
  # bash splits --set model=la at the '=' (COMP_WORDBREAKS): read the line itself.
  local line=${COMP_LINE:0:COMP_POINT}
  if [[ $line =~ --set[[:space:]]+model=([^[:space:]]*)$ ]]; then
    local prefix= typed=${BASH_REMATCH[1]}
    local -a models=()
    [[ $cur == model=* ]] && prefix=model=
    _ipcsim_models "$binary" models
    _ipcsim_offer "$prefix" "$typed" "${models[@]}"
    return
  fi
  if [[ $cur == -* ]]; then
    local -a options
    mapfile -t options < <("$binary" "$verb" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ,' | sort -u)
    _ipcsim_offer "" "$cur" "${options[@]}"
    return
  fi
  case $verb in
    run | validate | verify) _ipcsim_files "$cur" .yaml ;;
    merge | compare | plot | timeline | report) _ipcsim_files "$cur" .csv ;;
  esac
}

complete -o filenames -F _ipcsim ipcsim
