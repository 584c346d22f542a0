#!/usr/bin/env bash
# Validates template.yaml (SAM translation + cfn-lint), runs `sam build` offline, and checks that every jar
# it leaves is byte-identical to the Maven-built jar the tests ran.
# Needs: scripts/install-tools.sh run once, and the shaded jars built by Maven
# (functions/*/target/*.jar), which the functions' Makefiles copy into .aws-sam/build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SAM="$ROOT/.tools/sam/bin/sam"
TEMPLATE="template.yaml"
BUILD_DIR=".aws-sam/build"

[[ -x "$SAM" ]] || { echo "check-template: $SAM not found: run scripts/install-tools.sh --for-build first" >&2; exit 1; }

# Offline and quiet: no telemetry, and a region for boto3/cfn-lint on a machine without AWS config.
# No AWS credentials are needed: none of the steps below calls an AWS API.
export SAM_CLI_TELEMETRY=0
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_REGION="${AWS_REGION:-$AWS_DEFAULT_REGION}"
# sam's weekly "newer version" check GETs PyPI after a command (samcli/lib/utils/version_checker.py);
# there is no switch for it, so give sam a private config dir whose last check is "now" (a float:
# an int is ignored and counts as "never checked").
SAM_HOME="$(mktemp -d)"
trap 'rm -rf "$SAM_HOME"' EXIT
export __SAM_CLI_APP_DIR="$SAM_HOME"
printf '{"telemetryEnabled": false, "lastVersionCheck": %s.0}\n' "$(date +%s)" > "$SAM_HOME/metadata.json"

step() { printf '\n==> %s\n' "$*"; }

# 1. SAM translation (the checks CloudFormation's transform would make; offline: only AWS managed
#    policies by name would need IAM, and the template uses policy templates and inline statements).
step "sam validate ($TEMPLATE: SAM transform)"
if ! "$SAM" validate --template "$TEMPLATE"; then
  echo "check-template: FAILED: sam validate (SAM transform) rejected the template" >&2
  exit 1
fi

# 2. cfn-lint (pinned by the SAM CLI). cfn-lint 1.x lints the SAM template itself, not the
#    transformed one, hence step 1.
step "sam validate --lint ($TEMPLATE)"
if ! "$SAM" validate --lint --template "$TEMPLATE"; then
  echo "check-template: FAILED: sam validate --lint reported problems" >&2
  exit 1
fi

# 3. Packaging: copies the Maven-built jars into .aws-sam/build/<Function>/lib/.
step "sam build --build-in-source ($TEMPLATE -> $BUILD_DIR)"
# --build-in-source: make runs in functions/<name>/ itself instead of a scratch copy of it
# (the Makefiles only read target/<name>.jar), so nothing is copied around.
if ! "$SAM" build --template "$TEMPLATE" --build-dir "$BUILD_DIR" --build-in-source; then
  echo "check-template: FAILED: sam build (did 'mvn package' build functions/*/target/*.jar?)" >&2
  exit 1
fi

step "check built artifacts"
status=0
for fn in StripeWebhookFunction StripeEventBridgeFunction MonthlyStatementsFunction ReconcileWorkerFunction DeliverySweepFunction AutomaticPayoutFunction StatementWorkerFunction StatementDeliveryFunction PartyPageFunction; do
  jars=("$BUILD_DIR/$fn"/lib/*.jar)
  if [[ -f "${jars[0]}" ]]; then
    echo "$fn: ${jars[*]#"$BUILD_DIR/"}"
  else
    echo "check-template: FAILED: no jar in $BUILD_DIR/$fn/lib/" >&2
    status=1
  fi
done
# The jar that ships is the jar the *IT tests ran under the Lambda runtime emulator: each jar sam build left
# must be, byte for byte, the Maven-built functions/<name>/target/<name>.jar.
step "built jars = tested jars (sha256)"
for built in "$BUILD_DIR"/*/lib/*.jar; do
  [[ -f "$built" ]] || continue
  name="$(basename "$built")"
  tested=(functions/*/target/"$name")
  if [[ ! -f "${tested[0]}" ]]; then
    echo "check-template: FAILED: ${built#"$BUILD_DIR/"} has no functions/*/target/$name to compare with" >&2
    status=1
    continue
  fi
  built_sum="$(sha256sum "$built" | cut -d' ' -f1)"
  tested_sum="$(sha256sum "${tested[0]}" | cut -d' ' -f1)"
  if [[ "$built_sum" == "$tested_sum" ]]; then
    echo "${built#"$BUILD_DIR/"} = ${tested[0]} (sha256 ${built_sum:0:16}...)"
  else
    echo "check-template: FAILED: ${built#"$BUILD_DIR/"} (sha256 $built_sum) is not ${tested[0]} ($tested_sum)" >&2
    status=1
  fi
done
[[ $status -eq 0 ]] && echo "template OK: validated, linted and built; the built jars are the tested jars"
exit $status
