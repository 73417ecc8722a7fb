#!/usr/bin/env bash
# Build a Debian 12 VM disk (kernel, initrd, ext4 root with systemd, sshd and python3) for tests that
# need a real kernel: nfsd cannot run in the test containers. Cached in $LLMOPS_CACHE/vm, rebuilt
# only when this recipe changes. Prints the cache directory.
set -euo pipefail

cache=${LLMOPS_CACHE:-$HOME/.cache/llmops}/vm
recipe=$(sha256sum "$0" | cut -c1-16)
if [ -f "$cache/recipe" ] && [ "$(cat "$cache/recipe")" = "$recipe" ] && [ -f "$cache/disk.img" ]; then
  echo "$cache"
  exit 0
fi

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v ssh >/dev/null || need+=(openssh-client)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

rm -rf "$cache" && mkdir -p "$cache"
rootfs=$(mktemp -d /tmp/llmops-vm-rootfs.XXXXXX)
cleanup() {
  for mount in proc sys dev; do umount "$rootfs/$mount" 2>/dev/null || true; done
  rm -rf "$rootfs"
}
trap cleanup EXIT

echo "building VM image in $cache" >&2
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,python3,python3-apt,iproute2,ca-certificates,kmod,procps,udev \
  bookworm "$rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1
for mount in proc sys dev; do mount --bind /$mount "$rootfs/$mount"; done
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  linux-image-cloud-amd64 initramfs-tools openssh-server >"$cache/chroot-apt.log" 2>&1
for mount in proc sys dev; do umount "$rootfs/$mount"; done

echo llmops-vm >"$rootfs/etc/hostname"
echo '/dev/vda / ext4 rw,relatime 0 1' >"$rootfs/etc/fstab"
cat >"$rootfs/etc/systemd/network/10-dhcp.network" <<'NET'
[Match]
Name=en* eth*
[Network]
DHCP=yes
NET
ln -sf /lib/systemd/system/systemd-networkd.service "$rootfs/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
ssh-keygen -q -t ed25519 -N '' -f "$cache/id_ed25519"
install -d -m 700 "$rootfs/root/.ssh"
install -m 600 "$cache/id_ed25519.pub" "$rootfs/root/.ssh/authorized_keys"
cp "$rootfs"/boot/vmlinuz-* "$cache/vmlinuz"
cp "$rootfs"/boot/initrd.img-* "$cache/initrd.img"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb
mkfs.ext4 -q -d "$rootfs" -L root "$cache/disk.img" 3G >&2
echo "$recipe" >"$cache/recipe"
echo "$cache"
