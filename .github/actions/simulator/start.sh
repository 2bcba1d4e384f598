#!/usr/bin/env bash
# Starts the CodeScoring simulator for a job that then runs the gate as a
# Docker container action, and writes its url and token as step outputs.
#
# Where to listen: a Docker action runs in its own container, where 127.0.0.1
# is the container itself, not the runner. The runner creates a job network
# (github_network_*) and passes --network to action containers only when the
# job has `services:` or a job `container:`; otherwise the action's container
# is on Docker's default bridge network, where the runner host is the bridge's
# gateway (172.17.0.1 on GitHub-hosted Ubuntu runners). So the simulator
# listens on that gateway address: reachable from the action's container and
# from the runner's own steps, and from no other host.
set -euo pipefail

: "${SIM_PORT:=8080}"
: "${SIM_ANALYSIS_TIME:=2s}"
: "${RUNNER_TEMP:=/tmp}"

gateway=$(docker network inspect bridge --format '{{(index .IPAM.Config 0).Gateway}}')
if [[ -z "$gateway" ]]; then
  echo "::error::cannot find the gateway of Docker's bridge network: is Docker running on this runner?"
  exit 1
fi

binary=${SIM_BINARY:-}
if [[ -z "$binary" ]]; then
  binary="$RUNNER_TEMP/codescoring-gate-simulator"
  go build -o "$binary" .
fi

# A fresh token per run, masked before it is first used.
token="sim-$(openssl rand -hex 16)"
echo "::add-mask::$token"

log="$RUNNER_TEMP/codescoring-simulator.log"
nohup "$binary" simulator --listen "$gateway:$SIM_PORT" --token "$token" \
  --analysis-time "$SIM_ANALYSIS_TIME" >"$log" 2>&1 &
pid=$!

url="http://$gateway:$SIM_PORT"
for _ in $(seq 1 30); do
  if curl -fsS -o /dev/null -H "Authorization: Token $token" "$url/api/projects/340/" 2>/dev/null; then
    echo "Simulator (pid $pid) answers at $url"
    {
      echo "url=$url"
      echo "host=http://$gateway"
      echo "token=$token"
    } >>"$GITHUB_OUTPUT"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    break
  fi
  sleep 1
done

echo "::error::the simulator did not answer at $url within 30s"
cat "$log"
exit 1
