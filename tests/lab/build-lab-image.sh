#!/usr/bin/env bash
# Build the lab's node image: the bookworm node image (tests/images/build-node-image.sh) plus what the
# k3s stand-in runs a real node with (containerd, runc and the CNI plugins from Debian, openssl for
# its certificates) and base's packages, so a lab run does not download them four times.
# Tagged llmops-lab-node:bookworm, rebuilt only when this recipe or the node image changes.
set -euo pipefail
cd "$(dirname "$0")/../.."

base_image=llmops-node:bookworm
image=llmops-lab-node:bookworm
packages="containerd runc containernetworking-plugins openssl iptables nftables conntrack socat curl jq chrony
apt-transport-https unattended-upgrades python3-debian nfs-kernel-server"
tests/images/build-node-image.sh bookworm >&2
base_id=$(docker image inspect -f '{{ .Id }}' "$base_image")
recipe=$(printf '%s\n' "$base_id" "$packages" "$(sha256sum "$0")" | sha256sum | cut -c1-16)
if [ "$(docker image inspect -f '{{ index .Config.Labels "llmops.recipe" }}' "$image" 2>/dev/null)" = "$recipe" ]; then
  echo "lab image $image is current (recipe $recipe)"
  exit 0
fi

builder=llmops-lab-image-build
docker rm -f "$builder" >/dev/null 2>&1 || true
trap 'docker rm -f "$builder" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC2086  # the package list is split on purpose
docker run --name "$builder" "$base_image" /bin/sh -c \
  "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(echo $packages) \
   && systemctl disable containerd chrony nfs-server >/dev/null 2>&1; apt-get clean; rm -rf /var/lib/apt/lists/*; touch -d @0 /var/lib/apt/lists" >&2
# The stand-in starts containerd itself, like k3s does with its embedded one.
docker commit -c 'CMD ["/lib/systemd/systemd"]' -c 'ENV container=docker' -c "LABEL llmops.recipe=$recipe" \
  "$builder" "$image" >/dev/null
echo "built $image (recipe $recipe)"
