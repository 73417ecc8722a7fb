#!/usr/bin/env bash
# Make sure a Docker engine answers: install Debian's docker.io and start dockerd when absent
# (the test machines have no systemd on the host). Also installs debootstrap for the node images.
set -euo pipefail

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  echo "docker engine is running"
  exit 0
fi
echo "starting dockerd"
mkdir -p /var/log
# A dockerd killed with its session leaves its pid file behind.
pgrep -x dockerd >/dev/null || rm -f /var/run/docker.pid
nohup dockerd >/var/log/llmops-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && { echo "docker engine is running"; exit 0; }
  sleep 1
done
echo "dockerd did not answer within 60 s; last log lines:" >&2
tail -20 /var/log/llmops-dockerd.log >&2
exit 1
