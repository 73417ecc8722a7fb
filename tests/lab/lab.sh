#!/usr/bin/env bash
# The local container lab behind inventories/lab: systemd node containers on a private Docker network
# standing in for Hetzner servers, running real Kubernetes nodes through the k3s stand-in
# (tests/standins/k3s-standin.py) with components built from pinned Go modules.
#
#   lab.sh up [ha]     build what is missing, start the node containers (ha: three servers)
#   lab.sh down        remove the containers and the network
#   lab.sh prepare     release dir, CRDs and GPU stand-ins, nothing started (used by up)
#
# Nodes (inventories/lab): lab-server-1 (server, storage, ingress), lab-gpu-1 and lab-gpu-2 (GPU agents),
# lab-cpu-1; the HA variant (inventories/lab-ha) has lab-server-1..3, lab-gpu-1 and lab-cpu-1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

NETWORK=llmops-lab
SUBNET=10.210.0.0/24
IMAGE=llmops-lab-node:bookworm
# k3s releases the lab offers (inventories/lab: k3s_lab_versions): their kubelets are built from
# Kubernetes v1.35.4 and v1.34.4 (tests/harness/build-control-plane.sh current|previous).
K3S_CURRENT=v1.35.4+k3s1
K3S_PREVIOUS=v1.34.4+k3s1
cache=${LLMOPS_CACHE:-$HOME/.cache/llmops}
lab=${LLMOPS_LAB_DIR:-$cache/lab}

# What the GPU stand-in advertises per GPU node (tests/lab/gpu-standin.py): like a GEX131 and a GEX44.
declare -A GPU=([lab-gpu-1]='{"count": 1, "product": "NVIDIA-RTX-PRO-6000-Blackwell-Max-Q-Workstation-Edition", "memory_mib": 97887}'
                [lab-gpu-2]='{"count": 1, "product": "NVIDIA-RTX-4000-SFF-Ada-Generation", "memory_mib": 20475}')
# The model inventories/lab serves, seeded complete on the storage host (tests/lab/seed_model_cache.py).
MODEL_DIR=/srv/nfs/models/llmops/qwen2-5-0-5b-instruct
MODEL_COMMIT=7ae557604adf67be50417f59c2c2f167def9a775
MODEL_BYTES=988097536
declare -A ADDRESS=([lab-server-1]=10.210.0.10 [lab-server-2]=10.210.0.11 [lab-server-3]=10.210.0.12
                    [lab-gpu-1]=10.210.0.21 [lab-gpu-2]=10.210.0.22 [lab-cpu-1]=10.210.0.31)
nodes() {
  if [ "${1:-}" = ha ]; then echo lab-server-1 lab-server-2 lab-server-3 lab-gpu-1 lab-cpu-1
  else echo lab-server-1 lab-gpu-1 lab-gpu-2 lab-cpu-1; fi
}

prepare() {
  local bin previous crds chart
  bin=$(tests/harness/build-control-plane.sh current)
  previous=$(tests/harness/build-control-plane.sh previous)
  crds=$(tests/harness/fetch-crds.sh)
  tests/lab/build-pause-image.sh >/dev/null
  tests/lab/build-lab-image.sh
  mkdir -p "$lab"
  ln -sfn "$bin" "$lab/bin"
  ln -sfn "$previous" "$lab/bin-previous"
  # The CRDs k3s ships (its helm-controller's and Traefik's), and per chart the CRDs the chart installs.
  # (Refreshed in place: a running lab has these directories bind-mounted.)
  mkdir -p "$lab/crds"/{k3s,cert-manager,keda,kube-prometheus-stack}
  cp "$crds"/helm.cattle.io_*.yaml "$crds"/traefik.io_crds.yaml "$lab/crds/k3s/"
  cp "$crds"/cert-manager.io_*.yaml "$lab/crds/cert-manager/"
  cp "$crds"/keda.sh_*.yaml "$lab/crds/keda/"
  cp "$crds"/monitoring.coreos.com_*.yaml "$lab/crds/kube-prometheus-stack/"
  tests/standins/build-k3s-release.sh "$lab/release" "$K3S_CURRENT" "$K3S_PREVIOUS" >/dev/null
  # The lab's secrets (inventories/lab reads them from here), made once per lab directory.
  (umask 077 && mkdir -p "$lab/secrets" && for secret in k3s-token vllm-api-key grafana-admin-password; do
    [ -s "$lab/secrets/$secret" ] || openssl rand -hex 32 >"$lab/secrets/$secret"; done)
  for chart in "$lab"/crds/*; do [ -n "$(ls "$chart")" ] || { echo "no CRDs in $chart" >&2; return 1; }; done
}

start_node() {
  local name=$1
  docker rm -f "$name" >/dev/null 2>&1 || true
  # Every capability but SYS_RESOURCE (privileged is refused here), /dev/kmsg for the kubelet's OOM
  # watcher, the host's cgroups like on a server; the components come in read-only.
  docker run -d --name "$name" --hostname "$name" --network "$NETWORK" --ip "${ADDRESS[$name]}" \
    --label llmops.lab=1 --cap-add ALL --cap-drop SYS_RESOURCE \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --cgroupns host -v /sys/fs/cgroup:/sys/fs/cgroup:rw --device /dev/kmsg \
    --tmpfs /run --tmpfs /run/lock --tmpfs /tmp \
    -v "$(readlink -f "$lab/bin")":/opt/llmops-lab/bin:ro -v "$lab/crds":/opt/llmops-lab/crds:ro \
    -v "$lab/images":/opt/llmops-lab/images:ro \
    -v "$(readlink -f "$lab/bin")":"/opt/llmops-lab/kubelet/$K3S_CURRENT":ro \
    -v "$(readlink -f "$lab/bin-previous")":"/opt/llmops-lab/kubelet/$K3S_PREVIOUS":ro \
    -v "$ROOT/tests/lab/helm-controller-standin.py":/opt/llmops-lab/helm-controller-standin.py:ro \
    -v "$ROOT/tests/lab/gpu-standin.py":/opt/llmops-lab/gpu-standin.py:ro \
    "$IMAGE" >/dev/null
}

up() {
  local name
  prepare
  docker network inspect "$NETWORK" >/dev/null 2>&1 || docker network create --subnet "$SUBNET" "$NETWORK" >/dev/null
  for name in $(nodes "${1:-}"); do start_node "$name"; done
  for name in $(nodes "${1:-}"); do
    docker exec "$name" systemctl is-system-running --wait >/dev/null || true
    # Docker mounts /proc/sys read-only; a server's is writable (base sets its sysctls there).
    docker exec "$name" mount -o remount,rw /proc/sys
    if [ -n "${GPU[$name]:-}" ]; then
      docker exec "$name" sh -c "mkdir -p /etc/llmops-lab && echo '${GPU[$name]}' >/etc/llmops-lab/gpu.json"
      docker exec "$name" sh -c "printf '%s\n' '[Service]' 'ExecStart=/usr/bin/python3 /opt/llmops-lab/gpu-standin.py' \
        'Restart=always' >/etc/systemd/system/llmops-lab-gpu.service && systemctl daemon-reload \
        && systemctl start llmops-lab-gpu"
    fi
  done
  docker exec -i lab-server-1 python3 - "$MODEL_DIR" "$MODEL_COMMIT" "$MODEL_BYTES" <tests/lab/seed_model_cache.py
  echo "lab up: $(nodes "${1:-}")"
}

down() {
  local ids
  ids=$(docker ps -aq --filter label=llmops.lab=1)
  [ -z "$ids" ] || docker rm -f $ids >/dev/null
  docker network rm "$NETWORK" >/dev/null 2>&1 || true
  # The pods' cgroups live in the host's hierarchy (cgroupns host, like a server's): their processes
  # died with the node containers; remove the cgroups they leave (rmdir only removes empty ones).
  find /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/k8s.io -mindepth 1 -maxdepth 1 -type d -exec rmdir {} + 2>/dev/null || true
  echo "lab down"
}

case ${1:-} in
  up) up "${2:-}" ;;
  down) down ;;
  prepare) prepare ;;
  *) echo "usage: $0 up [ha] | down | prepare" >&2; exit 2 ;;
esac
