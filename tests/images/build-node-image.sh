#!/usr/bin/env bash
# Build a systemd node image for molecule from Debian packages (debootstrap), no registry needed.
# Usage: build-node-image.sh SUITE   (bookworm | trixie)
# The image is tagged llmops-node:SUITE and labelled with a hash of this recipe; it is rebuilt
# only when the recipe changes.
set -euo pipefail

suite=${1:?usage: $0 SUITE}
image="llmops-node:${suite}"
mirror=${LLMOPS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=systemd,systemd-sysv,dbus,python3,python3-apt,sudo,iproute2,ca-certificates,gnupg,pciutils,kmod,procps
recipe_hash=$(printf '%s\n' "$suite" "$packages" "$(sha256sum "$0")" | sha256sum | cut -c1-16)

current=$(docker image inspect -f '{{ index .Config.Labels "llmops.recipe" }}' "$image" 2>/dev/null || true)
if [ "$current" = "$recipe_hash" ]; then
  echo "node image $image is current (recipe $recipe_hash)"
  exit 0
fi

rootfs=$(mktemp -d /tmp/llmops-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "building node image $image from debootstrap ($mirror)"
debootstrap --variant=minbase --components=main,contrib,non-free,non-free-firmware \
  --include="$packages" "$suite" "$rootfs" "$mirror" >/tmp/debootstrap-"$suite".log 2>&1 ||
  { tail -20 /tmp/debootstrap-"$suite".log; exit 1; }

# Point apt at the real archive (the build mirror may be a local cache) with every component.
security="deb http://deb.debian.org/debian-security ${suite}-security main contrib non-free non-free-firmware"
cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb http://deb.debian.org/debian ${suite} main contrib non-free non-free-firmware
deb http://deb.debian.org/debian ${suite}-updates main contrib non-free non-free-firmware
${security}
SOURCES
# Units that make no sense in a container and slow the boot.
for unit in systemd-resolved.service getty@tty1.service; do
  ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
done
rm -f "$rootfs/etc/machine-id" && touch "$rootfs/etc/machine-id"
apt-get clean -o Dir::Cache="$rootfs/var/cache/apt" >/dev/null 2>&1 || true
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
# Look never-updated, so "update_cache + cache_valid_time" refreshes the (empty) package lists.
touch -d @0 "$rootfs"/var/lib/apt/lists

tar -C "$rootfs" -c . | docker import \
  -c 'CMD ["/lib/systemd/systemd"]' -c 'ENV container=docker' \
  -c "LABEL llmops.recipe=$recipe_hash" - "$image" >/dev/null
echo "built $image (recipe $recipe_hash)"
