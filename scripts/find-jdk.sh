#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (revshare targets Java 21). Looks at JAVA_HOME, the `java`
# on PATH, then the usual install folders of Linux, macOS and SDKMAN. Exits 1 with advice if none.
set -euo pipefail
required=21

major_of() { # $1 = JDK home; prints its major version, or nothing
  local home=$1
  [ -x "$home/bin/javac" ] || return 0
  "$home/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n1
}

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/*; do
  [ -d "$dir" ] && candidates+=("$dir")
done

seen=""
for home in "${candidates[@]}"; do
  major=$(major_of "$home")
  [ -n "$major" ] || continue
  seen="$seen  $home (Java $major)\n"
  if [ "$major" -ge "$required" ]; then
    echo "$home"
    exit 0
  fi
done

{
  echo "revshare needs a JDK $required or newer (with javac), and none was found."
  if [ -n "$seen" ]; then printf "JDKs found, all too old:\n$seen"; fi
  echo "Install one (Debian/Ubuntu: apt-get install openjdk-21-jdk; macOS: brew install openjdk@21),"
  echo "or point JAVA_HOME at it."
} >&2
exit 1
