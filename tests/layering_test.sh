#!/usr/bin/env bash
# The layers of src/ (README "Layout") as a checked rule: each layer's
# sources (tests excepted) include headers only from itself and the layers
# it may depend on. Prints every include that crosses a line it may not.
#   layering_test.sh SRC_DIR
set -euo pipefail
src=$1
declare -A allowed=(
  [base]="base"
  [crypto]="base crypto"
  [json]="base json"
  [store]="base store"
  [ledger]="base crypto store ledger"
  [policy]="base policy"
  [auth]="base crypto store auth"
  [custody]="base crypto json store ledger policy auth custody"
  [oversight]="base crypto json store ledger policy auth custody oversight"
  [verify]="base crypto json store ledger policy auth custody oversight verify"
  [server]="base crypto json store ledger policy auth custody oversight verify server"
  [cli]="base crypto json store ledger policy auth custody oversight verify server cli"
)
bad=0 checked=0
for layer in "${!allowed[@]}"; do
  [ -d "$src/$layer" ] || { echo "no layer $layer in $src"; exit 1; }
  while IFS= read -r file; do
    case "$file" in *_test.cc) continue ;; esac
    while IFS= read -r dep; do
      checked=$((checked + 1))
      if ! [[ " ${allowed[$layer]} " == *" $dep "* ]]; then
        echo "$file includes $dep/ (layer $layer may include: ${allowed[$layer]})"
        bad=1
      fi
    done < <(grep -oE '^#include "[a-z_]+/' "$file" | sed 's/#include "//; s/\/$//' || true)
  done < <(find "$src/$layer" -name '*.h' -o -name '*.cc' -o -name '*.in')
done
# Every folder of src/ is a known layer (or the fuzz targets).
for dir in "$src"/*/; do
  name=$(basename "$dir")
  [ "$name" = fuzz ] || [ -n "${allowed[$name]+x}" ] || { echo "src/$name is not a known layer"; bad=1; }
done
[ "$checked" -gt 100 ] || { echo "only $checked includes checked: is $src the source tree?"; exit 1; }
[ "$bad" = 0 ] && echo "layering: $checked includes, none crosses a layer it may not"
exit "$bad"
