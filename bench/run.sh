#!/usr/bin/env bash
# Builds the benchmark in Release and runs it. With no arguments: the covering-array sizes, then
# three measured exhaustive sweeps (each in a fresh child process), their medians and the ratio to
# the 60 s target. Arguments go to the program, e.g.:
#   bench/run.sh --compare 4,8,16      # the three runs, then one sweep at each concurrency
#   bench/run.sh --concurrency 4       # the three runs at concurrency 4
#   bench/run.sh breakdown             # where the time goes (server in a child process)
#   bench/run.sh sizes                 # only the covering-array sizes
set -euo pipefail
cd "$(dirname "$0")/.."
echo "load before the build: $(uptime)"
dotnet build bench/SipConformance.Bench -c Release -nologo -v quiet
exe=bench/SipConformance.Bench/bin/Release/net10.0/SipConformance.Bench
if [ "$#" -eq 0 ]; then set -- --runs 3; fi
exec "$exe" "$@"
