#!/usr/bin/env bash
# Prints each Lambda jar's size against its budget (issue #2). Exits 0: the numbers are a report.
set -euo pipefail
cd "$(dirname "$0")/.."
report() { # jar budget-MB
  local jar=$1 budget=$2 bytes
  if [ ! -f "$jar" ]; then echo "  $jar: not built"; return; fi
  bytes=$(wc -c < "$jar")
  awk -v j="$jar" -v b="$bytes" -v m="$budget" 'BEGIN {
    mb = b / 1000000; printf "  %-52s %6.2f MB  budget %5.2f MB  %s\n", j, mb, m, (mb <= m ? "ok" : "OVER by " sprintf("%.2f", mb - m) " MB") }'
}
echo "Lambda jars:"
report functions/stripe-webhook/target/stripe-webhook.jar 15
report functions/monthly-statements/target/monthly-statements.jar 12
