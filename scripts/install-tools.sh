#!/usr/bin/env bash
# Installs the project's tools into project-local, git-ignored folders under .tools/:
#   .tools/sam   AWS SAM CLI (sam validate --lint, sam build)
#   .tools/moto  moto server (local SES/SESv2/EventBridge/Scheduler/SSM for tests)
#   .tools/go    stripe-mock (Stripe's official mock of its API) and aws-lambda-rie (the AWS Lambda Runtime
#                Interface Emulator: the tests run the packaged jars under it), both built from the Go module proxy
# and, when missing, Debian's chromium package (the statement email's screenshot test renders it headless).
#
#   scripts/install-tools.sh              everything: what `make test` needs
#   scripts/install-tools.sh --for-build  the SAM CLI only: what `make build` (packaging, deploying) needs;
#                                         no Go, no Chromium, no moto
#
# Idempotent: each venv carries a stamp file with its pinned requirement; a re-run with an
# unchanged pin does nothing, a changed pin rebuilds that venv from scratch.
set -euo pipefail

SAM_VERSION="1.170.0"
MOTO_VERSION="5.2.5"
STRIPE_MOCK_VERSION="v0.203.0"
# no tagged release of the emulator is on the module proxy: a pseudo-version pins the commit
LAMBDA_RIE_VERSION="v0.0.0-20261030222936-bef5c4ba774d"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
PYTHON="${PYTHON:-python3}"

die() { echo "install-tools: ERROR: $*" >&2; exit 1; }

FOR_BUILD=""
case "${1:-}" in
  "") ;;
  --for-build) FOR_BUILD=1 ;;
  *) die "unknown option '$1' (use --for-build for the SAM CLI alone, or nothing for every tool)" ;;
esac

command -v "$PYTHON" >/dev/null 2>&1 \
  || die "$PYTHON not found; install Python 3.9+ (Debian: apt-get install python3 python3-venv)"

# install_venv DIR LABEL REQUIREMENT... : (re)create DIR as a venv holding exactly REQUIREMENT(s)
install_venv() {
  local dir="$1" label="$2"; shift 2
  local stamp="$dir/.installed" want
  want="$(printf '%s\n' "$@")"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$dir/bin/python" ]] \
     && "$dir/bin/python" -c '' >/dev/null 2>&1; then
    echo "$label already installed in ${dir#"$ROOT"/}"
    return 0
  fi
  check_python
  echo "installing $label into ${dir#"$ROOT"/} ..."
  rm -rf "$dir"
  "$PYTHON" -m venv "$dir" || { rm -rf "$dir"; die "could not create a virtualenv with $PYTHON -m venv (Debian: apt-get install python3-venv)"; }
  if ! "$dir/bin/python" -m pip install --disable-pip-version-check -q "$@"; then
    rm -rf "$dir"
    die "pip install of $* failed"
  fi
  printf '%s\n' "$want" > "$stamp"
  echo "installed $label"
}

checked_python=""
check_python() {
  [[ -n "$checked_python" ]] && return 0
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || die "$("$PYTHON" --version 2>&1) is too old; Python >= 3.9 is required (Debian: apt-get install python3)"
  "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 \
    || die "the Python venv module (with ensurepip) is missing; Debian: apt-get install python3-venv"
  checked_python=1
}

mkdir -p "$TOOLS"
install_venv "$TOOLS/sam"  "AWS SAM CLI $SAM_VERSION" "aws-sam-cli==$SAM_VERSION"
"$TOOLS/sam/bin/sam" --version >/dev/null 2>&1 || die "$TOOLS/sam/bin/sam does not run"
[[ -n "$FOR_BUILD" ]] && exit 0

# the rest is for the tests
install_venv "$TOOLS/moto" "moto server $MOTO_VERSION" "moto[server]==$MOTO_VERSION"
[[ -x "$TOOLS/moto/bin/moto_server" ]] || die "$TOOLS/moto/bin/moto_server is missing"

# install_go_tool NAME STAMP PACKAGE@VERSION : `go install` one Go program into .tools/go/bin, with its own
# stamp file holding PACKAGE@VERSION: a re-run with an unchanged pin does nothing, a changed pin rebuilds
# that program alone
install_go_tool() {
  local name="$1" stamp="$TOOLS/go/$2" want="$3" dir="$TOOLS/go"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$dir/bin/$name" ]]; then
    echo "$name ${want##*@} already installed in .tools/go"
    return 0
  fi
  command -v go >/dev/null 2>&1 \
    || die "go not found; install Go 1.22 or newer (https://go.dev/dl) to build $name (go fetches the newer toolchain a module asks for by itself)"
  echo "installing $name ${want##*@} into .tools/go ..."
  rm -f "$stamp" "$dir/bin/$name"
  mkdir -p "$dir/bin"
  GOBIN="$dir/bin" GOFLAGS=-mod=mod go install "$want" || die "go install $want failed"
  [[ -x "$dir/bin/$name" ]] || die "go install $want did not produce .tools/go/bin/$name"
  printf '%s\n' "$want" > "$stamp"
  echo "installed $name ${want##*@}"
}
# stripe-mock: Stripe's mock of its API, for the tests of what revshare reads from Stripe
# (its stamp keeps the name it had when it was the only Go tool, so older checkouts sharing .tools agree)
install_go_tool stripe-mock .installed "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
# aws-lambda-rie: the runtime API Lambda gives a function, around the packaged jars in the *IT tests and the
# cold-start benchmark (the Java runtime interface client comes from Maven Central, see functions/*/pom.xml)
install_go_tool aws-lambda-rie .installed-aws-lambda-rie \
  "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$LAMBDA_RIE_VERSION"

# Chromium: a system package (Debian's chromium), installed with apt-get when missing and we may
install_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    echo "chromium already installed ($(chromium --version 2>/dev/null | head -1))"
    return 0
  fi
  local sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo -n" \
      || die "chromium not found and not root: install Debian's chromium package (sudo apt-get install chromium)"
  fi
  command -v apt-get >/dev/null 2>&1 || die "chromium not found and no apt-get: install a Chromium and set CHROMIUM to it"
  echo "installing Debian's chromium (for the statement email's screenshot test) ..."
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || die "apt-get install chromium failed"
  echo "installed $(chromium --version 2>/dev/null | head -1)"
}
install_chromium
