#!/usr/bin/env bash
# Prints each Lambda jar's size against its budget (issues #2 and #11: 8 MB each for the functions on a waiting path), and its size before shrinking.
# Exits 1 when a jar is over budget, so `make test` and `make build` catch a regression.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
report() { # name budget-MB
  local name=$1 budget=$2 dir jar full bytes full_bytes
  dir=functions/$name/target; jar=$dir/$name.jar; full=$dir/$name-full.jar
  if [ ! -f "$jar" ]; then echo "  $jar: not built"; status=1; return; fi
  bytes=$(wc -c < "$jar"); full_bytes=$(wc -c < "$full" 2>/dev/null || echo 0)
  if ! awk -v j="$jar" -v b="$bytes" -v f="$full_bytes" -v m="$budget" 'BEGIN {
      mb = b / 1e6; printf "  %-52s %5.2f MB  (shaded %5.2f MB)  budget %5.2f MB  %s\n", j, mb, f / 1e6, m,
        (mb <= m ? "ok" : "OVER by " sprintf("%.2f", mb - m) " MB"); exit (mb <= m ? 0 : 1) }'; then
    status=1
  fi
}
echo "Lambda jars (shaded, then shrunk by ProGuard with functions/lambda-shrink.pro):"
report stripe-webhook 8
report monthly-statements 8
# each party's page: a person waits on its answer
report party-page 8
# the reconcile worker and the daily sweep (a queue's batch job, a daily schedule's) are on no one's waiting path:
# their cold start matters little, and the SSM, SQS and DynamoDB clients plus stripe-java's client they need come to
# 8.87 MB (each SDK client keeps every exception type of its service, which its set-up names)
report stripe-reconcile 9
# the automatic payout (an EventBridge rule's asynchronous invocation, after a statement went out) waits for no one
# either: stripe-java's client, SSM, SES and DynamoDB
report partner-payouts 9
exit $status
