#!/usr/bin/env bash
# Counts the requests a run of the conformance suite sends, per profile: the reference server runs
# standalone with --verbose (one line per request) and the suite is aimed at it as at any remote target.
#   bench/requests.sh [PROFILE...]          (default: smoke pairwise threewise)
# Prints one line per profile: "PROFILE N requests".
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=("${@:-smoke pairwise threewise}")
read -r -a profiles <<< "${profiles[*]}"
dotnet build fixtures/SipConformance.ReferenceServer -v q -nologo >/dev/null
dotnet build tests/SipConformance.Conformance -v q -nologo >/dev/null
for profile in "${profiles[@]}"; do
  log=$(mktemp)
  port=$((20000 + RANDOM % 20000))
  dotnet fixtures/SipConformance.ReferenceServer/bin/Debug/net10.0/SipConformance.ReferenceServer.dll --port "$port" --verbose > "$log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do grep -q "^export " "$log" && break; sleep 0.2; done
  eval "$(grep '^export ' "$log" | head -1)"
  SIPCONF_PROFILE=$profile SIPCONF_SEED=20261202 SIPCONF_ARTIFACTS=$(mktemp -d) \
    dotnet test tests/SipConformance.Conformance --no-build > /dev/null 2>&1 || true
  kill "$server"; wait "$server" 2>/dev/null || true
  # Request lines start with the method.
  echo "$profile $(grep -cE '^(GET|POST|PUT|DELETE|PATCH) ' "$log") requests"
  rm -f "$log"
done
