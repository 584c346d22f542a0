#!/usr/bin/env bash
# Runs Maven with a JDK >= 21 (found by find-jdk.sh), whatever `java` is first on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
JAVA_HOME=$("$here/find-jdk.sh")
export JAVA_HOME
major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
if [ "$major" -ge 24 ]; then
  # Maven's own Guava calls sun.misc.Unsafe; JDK 24+ warns about it on every run
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
command -v mvn >/dev/null 2>&1 || { echo "Maven (mvn) is not installed: apt-get install maven, or brew install maven" >&2; exit 1; }
# Debian's Maven 3.8 prints ANSI colour resets even in batch mode: strip them from what people read
set -o pipefail
mvn -B --no-transfer-progress -f "$here/../pom.xml" "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
