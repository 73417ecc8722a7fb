#!/usr/bin/env bash
# Build signed local apt repositories that stand in for NVIDIA's CUDA repository and the
# libnvidia-container (container toolkit) repository, which the test machines cannot reach.
#
# Seam: the packages carry NVIDIA's real names, versions and dependency shape, but no driver:
# their nvidia-smi prints what the real one prints on a host without a loaded driver.
# Layout mirrors the real URLs under OUT/:
#   compute/cuda/repos/{debian12,debian13}/x86_64/   (flat repo, key 3bf863cc.pub)
#   libnvidia-container/stable/deb/amd64/            (flat repo, key ../../../gpgkey)
# Usage: build-nvidia-repos.sh OUT   (rebuilt only when this script changes)
set -euo pipefail

out=${1:?usage: $0 OUT}
stamp="$out/.recipe"
recipe=$(sha256sum "$0" | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$recipe" ]; then
  echo "stand-in apt repositories are current ($out)"
  exit 0
fi
command -v apt-ftparchive >/dev/null || { apt-get update -qq && apt-get install -y -qq apt-utils >/dev/null; }

rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
export GNUPGHOME="$work/gnupg" && mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'llmops stand-in repository <standin@llmops.invalid>' rsa3072 sign never
key_id=$(gpg --list-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')

# mkdeb DIR NAME VERSION DEPENDS [FILE:SOURCE ...]
mkdeb() {
  local dir=$1 name=$2 version=$3 depends=$4; shift 4
  local root="$work/pkg/$name-$version"
  mkdir -p "$root/DEBIAN"
  {
    echo "Package: $name"; echo "Version: $version"; echo "Architecture: amd64"
    echo "Maintainer: llmops stand-in <standin@llmops.invalid>"
    [ -n "$depends" ] && echo "Depends: $depends"
    echo "Description: stand-in for NVIDIA's $name (test repository, no driver inside)"
  } >"$root/DEBIAN/control"
  local spec path src
  for spec in "$@"; do
    path=${spec%%:*} src=${spec#*:}
    mkdir -p "$root/$(dirname "$path")"
    printf '%b' "$src" >"$root/$path"
    case $path in usr/bin/*) chmod 755 "$root/$path" ;; esac
  done
  dpkg-deb --root-owner-group -Zxz -b "$root" "$dir/${name}_${version}_amd64.deb" >/dev/null
}

sign_flat_repo() {
  local dir=$1
  (cd "$dir" && apt-ftparchive packages . >Packages && gzip -9kf Packages &&
    apt-ftparchive -o APT::FTPArchive::Release::Origin=NVIDIA-standin release . >Release &&
    gpg --batch --quiet --yes --default-key "$key_id" --clearsign -o InRelease Release &&
    gpg --batch --quiet --yes --default-key "$key_id" -abs -o Release.gpg Release)
}

smi='#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn'"'"'t communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."\nexit 9\n'
persistenced_unit='[Unit]\nDescription=NVIDIA Persistence Daemon\nWants=syslog.target\n\n[Service]\nType=forking\nExecStart=/usr/bin/nvidia-persistenced --user nvidia-persistenced --no-persistence-mode --verbose\nExecStopPost=/bin/rm -rf /var/run/nvidia-persistenced\n\n[Install]\nWantedBy=multi-user.target\n'
persistenced_bin='#!/bin/sh\necho "nvidia-persistenced failed to initialize. Check syslog for more details." >&2\nexit 1\n'

for distro in debian12 debian13; do
  dir="$out/compute/cuda/repos/$distro/x86_64"
  mkdir -p "$dir"
  # 580 is the branch we pin; 590 is a newer branch the pin must refuse.
  for version in 580.95.05-1 590.48.01-1; do
    mkdeb "$dir" nvidia-kernel-open-dkms "$version" ""
    mkdeb "$dir" nvidia-kernel-dkms "$version" ""
    mkdeb "$dir" nvidia-persistenced "$version" "" \
      "lib/systemd/system/nvidia-persistenced.service:$persistenced_unit" \
      "usr/bin/nvidia-persistenced:$persistenced_bin"
    mkdeb "$dir" nvidia-driver-cuda "$version" "nvidia-kernel-open-dkms (= $version) | nvidia-kernel-dkms (= $version)" \
      "usr/bin/nvidia-smi:$smi"
  done
  gpg --batch --armor --export "$key_id" >"$dir/3bf863cc.pub"
  sign_flat_repo "$dir"
done

dir="$out/libnvidia-container/stable/deb/amd64"
mkdir -p "$dir"
# 1.20.0 is the pinned version; 1.19.0 is older and 1.21.0 newer, to prove the pin holds.
for upstream in 1.19.0 1.20.0 1.21.0; do
  version="$upstream-1"
  ctk="#!/bin/sh\necho \"NVIDIA Container Toolkit CLI version $upstream\"\n"
  runtime="#!/bin/sh\necho \"NVIDIA Container Runtime version $upstream (stand-in)\"\n"
  mkdeb "$dir" libnvidia-container1 "$version" ""
  mkdeb "$dir" libnvidia-container-tools "$version" "libnvidia-container1 (>= $version)"
  mkdeb "$dir" nvidia-container-toolkit-base "$version" "" "usr/bin/nvidia-ctk:$ctk" \
    "usr/bin/nvidia-container-runtime:$runtime"
  mkdeb "$dir" nvidia-container-toolkit "$version" \
    "nvidia-container-toolkit-base (= $version), libnvidia-container-tools (>= $version), libnvidia-container-tools (<< 2.0.0)"
done
gpg --batch --armor --export "$key_id" >"$out/libnvidia-container/gpgkey"
sign_flat_repo "$dir"

echo "$recipe" >"$stamp"
echo "built stand-in apt repositories in $out"
