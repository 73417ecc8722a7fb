#!/usr/bin/env bash
# Lay out a stand-in k3s release download site in DIR, the way GitHub serves k3s releases
# (<version>/k3s and <version>/sha256sum-amd64.txt), for the given versions (default: two, so an
# upgrade can be tested).
set -euo pipefail
out=${1:?usage: build-k3s-release.sh DIR [VERSION...]}
shift
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(v1.33.7+k3s1 v1.34.9+k3s1)
here=$(cd "$(dirname "$0")" && pwd)
for version in "${versions[@]}"; do
  mkdir -p "$out/$version"
  # Debian nodes have python3, not python.
  sed -e "s/@VERSION@/$version/" -e "1s|.*|#!/usr/bin/python3|" "$here/k3s-standin.py" >"$out/$version/k3s"
  chmod 0755 "$out/$version/k3s"
  # The real file lists every asset of the release; the installer must pick the line of `k3s`.
  printf '%s  k3s-airgap-images-amd64.tar\n%s  k3s\n' "$(printf 'images' | sha256sum | cut -d' ' -f1)" \
    "$(sha256sum "$out/$version/k3s" | cut -d' ' -f1)" >"$out/$version/sha256sum-amd64.txt"
done
echo "built $out"
