#!/usr/bin/env bash
# Times a run of the conformance suite against the reference server with and without a rate limiter,
# as against any remote target (the server runs standalone; the suite is aimed at it by URL).
#   bench/ratelimit.sh [PROFILE] [EXTRA SERVER ARGS...]     (default: pairwise --rate-limit-every 7)
# e.g. bench/ratelimit.sh pairwise --rate-limit-every 7 --retry-after 1
#      bench/ratelimit.sh pairwise --quirk <a token-bucket quirk, once the reference server has one>
# Prints, per run: the server arguments, the wall time, the requests the server received and the 429s
# it answered; then the ratio of the limited run's time to the plain one's.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-pairwise}
shift || true
limited=("$@")
if [ "${#limited[@]}" -eq 0 ]; then limited=(--rate-limit-every 7 --retry-after 1); fi
dotnet build fixtures/SipConformance.ReferenceServer -v q -nologo >/dev/null
dotnet build tests/SipConformance.Conformance -v q -nologo >/dev/null

run() { # server args...; prints "SECONDS REQUESTS LIMITED"
  local log port server start end
  log=$(mktemp)
  port=$((20000 + RANDOM % 20000))
  dotnet fixtures/SipConformance.ReferenceServer/bin/Debug/net10.0/SipConformance.ReferenceServer.dll --port "$port" --verbose "$@" > "$log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do grep -q "^export " "$log" && break; sleep 0.2; done
  eval "$(grep '^export ' "$log" | head -1)"
  start=$(date +%s.%N)
  SIPCONF_PROFILE=$profile SIPCONF_SEED=20261205 SIPCONF_RUN_MARKER=ratebench SIPCONF_ARTIFACTS=$(mktemp -d) \
    dotnet test tests/SipConformance.Conformance --no-build > /dev/null 2>&1 || true
  end=$(date +%s.%N)
  kill "$server"; wait "$server" 2>/dev/null || true
  # Request lines start with the method and end "-> STATUS (N ms)".
  echo "$(echo "$end - $start" | bc) $(grep -cE '^(GET|POST|PUT|DELETE|PATCH) ' "$log") $(grep -c -- '-> 429 (' "$log" || true)"
  rm -f "$log"
}

read -r plain_s plain_n plain_l <<< "$(run)"
echo "plain:   profile $profile, ${plain_s} s, ${plain_n} requests, ${plain_l} x 429"
read -r lim_s lim_n lim_l <<< "$(run "${limited[@]}")"
echo "limited: profile $profile, ${limited[*]}: ${lim_s} s, ${lim_n} requests, ${lim_l} x 429"
echo "ratio limited/plain: $(echo "scale=2; $lim_s / $plain_s" | bc)"
