#!/bin/sh
# Deopts per phase of a bench/deopts.ts --trace-deopt log (Node 20's format): count, phase, function, reason.
awk '/^PHASE/ { phase = $2; next }
  /^\[bailout \(kind/ { match($0, /reason: [^)]*\)/); r = substr($0, RSTART + 8, RLENGTH - 9)
    match($0, /<JSFunction [^ >]*/); fn = substr($0, RSTART + 12, RLENGTH - 12)
    n[phase "\t" fn "\t" r]++; tot[phase]++ }
  END { for (k in n) print n[k] "\t" k; for (p in tot) print "total\t" p "\t" tot[p] }' "$1" | sort -t "$(printf '\t')" -k2,2 -k1,1nr
