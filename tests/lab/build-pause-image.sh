#!/usr/bin/env bash
# Build the pause image the lab's containerd runs pod sandboxes with, from Kubernetes' own pause.c
# (in the k8s.io/kubernetes module, build/pause/linux), compiled static as its Makefile does, and save
# it as an image archive that the k3s stand-in imports at start (as k3s imports its air-gap images).
# Prints the archive's path; rebuilt only when this recipe changes.
set -euo pipefail
cd "$(dirname "$0")/../.."

KUBERNETES_VERSION=v1.35.4
TAG=3.10.1
IMAGE=registry.k8s.io/pause:$TAG
cache=${LLMOPS_CACHE:-$HOME/.cache/llmops}
out="$cache/lab/images/pause-$TAG.tar"
recipe=$(sha256sum "$0" | cut -c1-16)
if [ -s "$out" ] && [ "$(cat "$out.recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "$out"
  exit 0
fi
export GOMODCACHE="$cache/gomod" GOFLAGS=-mod=mod
src=$(cd /tmp && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs" "$(dirname "$out")"
gcc -Os -Wall -Werror -static -DVERSION="v$TAG-llmops-lab" -o "$work/rootfs/pause" "$src/build/pause/linux/pause.c"
tar -C "$work/rootfs" -c pause | docker import -c 'ENTRYPOINT ["/pause"]' - "$IMAGE" >/dev/null
docker save "$IMAGE" -o "$out"
echo "$recipe" >"$out.recipe"
echo "$out"
