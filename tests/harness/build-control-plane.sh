#!/usr/bin/env bash
# Build a real Kubernetes control plane and node agent for the tests from pinned Go modules: kube-apiserver,
# kube-scheduler, kube-controller-manager, kubelet and kubectl from k8s.io/kubernetes and etcd from
# go.etcd.io/etcd/server/v3 (tests/harness/etcd). k3s itself is not served by the module proxy
# (github.com/k3s-io/k3s@v1.34.9+k3s1: 403, "not available").
#   build-control-plane.sh            the current version: every binary and etcd
#   build-control-plane.sh previous   the lab's previous version, the kubelet only (the lab upgrades from it)
# Binaries are cached outside the repository; prints the directory that holds them.
set -euo pipefail

CURRENT=v1.35.4
PREVIOUS=v1.34.4
ETCD_VERSION=v3.6.16

here=$(cd "$(dirname "$0")" && pwd)
cache=${LLMOPS_CACHE:-$HOME/.cache/llmops}
case ${1:-current} in
  current) KUBERNETES_VERSION=$CURRENT binaries="kube-apiserver kube-scheduler kube-controller-manager kubelet kubectl"
    out="$cache/control-plane/kubernetes-$KUBERNETES_VERSION-etcd-$ETCD_VERSION" ;;
  previous) KUBERNETES_VERSION=$PREVIOUS binaries=kubelet out="$cache/control-plane/kubernetes-$KUBERNETES_VERSION" ;;
  *) echo "usage: $0 [current|previous]" >&2; exit 2 ;;
esac
recipe=$(cat "$0" "$here/etcd/go.mod" "$here/etcd/go.sum" "$here/etcd/main.go" | sha256sum | cut -c1-16)
with_etcd=$([ "${1:-current}" = current ] && echo etcd || true)
built() { local b; for b in $binaries $with_etcd; do [ -x "$out/$b" ] || return 1; done; }
if built && [ "$(cat "$out/recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "Go is needed to build the control plane" >&2; exit 1; }

export GOMODCACHE="$cache/gomod" GOFLAGS=-mod=mod CGO_ENABLED=0
mkdir -p "$out"
start=$SECONDS
echo "building $binaries $KUBERNETES_VERSION ${with_etcd:+and etcd $ETCD_VERSION }into $out" >&2

# k8s.io/kubernetes points its staging modules at ./staging, which its module zip does not carry:
# build it as the main module with those replaced by the published staging modules.
src=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
work="$cache/build/kubernetes-$KUBERNETES_VERSION"
rm -rf "$work" && mkdir -p "$(dirname "$work")" && cp -r "$src" "$work" && chmod -R u+w "$work"
rm -f "$work/go.work" "$work/go.work.sum"
staging=v0.${KUBERNETES_VERSION#v1.}
sed -i -E "s#^(\s*)(k8s\.io/[a-z0-9-]+) => \./staging/src/k8s\.io/[a-z0-9-]+\$#\1\2 => \2 $staging#" "$work/go.mod"
# The version stamp k8s's build sets (hack/lib/version.sh), with k3s's suffix as k3s's own build does: the
# lab's nodes run these as k3s $KUBERNETES_VERSION+k3s1 and report it as their kubelet version.
ldflags="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION+k3s1 -X k8s.io/component-base/version.gitMajor=1"
ldflags+=" -X k8s.io/component-base/version.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)"
for binary in $binaries; do
  (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$out/$binary" "./cmd/$binary") >&2
done
[ -z "$with_etcd" ] || (cd "$here/etcd" && go build -trimpath -o "$out/etcd" .) >&2
rm -rf "$work"
echo "$recipe" >"$out/recipe"
echo "built the control plane in $((SECONDS - start)) s" >&2
echo "$out"
