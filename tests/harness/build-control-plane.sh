#!/usr/bin/env bash
# Build a real Kubernetes control plane for the tests from pinned Go modules: kube-apiserver and
# kube-scheduler from k8s.io/kubernetes and etcd from go.etcd.io/etcd/server/v3 (tests/harness/etcd). k3s itself is
# not served by the module proxy (github.com/k3s-io/k3s@v1.34.9+k3s1: 403, "not available").
# Binaries are cached outside the repository; prints the directory that holds them.
set -euo pipefail

KUBERNETES_VERSION=v1.35.4
ETCD_VERSION=v3.6.16

here=$(cd "$(dirname "$0")" && pwd)
cache=${LLMOPS_CACHE:-$HOME/.cache/llmops}
out="$cache/control-plane/kubernetes-$KUBERNETES_VERSION-etcd-$ETCD_VERSION"
recipe=$(cat "$0" "$here/etcd/go.mod" "$here/etcd/go.sum" "$here/etcd/main.go" | sha256sum | cut -c1-16)
if [ -x "$out/kube-apiserver" ] && [ -x "$out/kube-scheduler" ] && [ -x "$out/etcd" ] && [ "$(cat "$out/recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "Go is needed to build the control plane" >&2; exit 1; }

export GOMODCACHE="$cache/gomod" GOFLAGS=-mod=mod CGO_ENABLED=0
mkdir -p "$out"
start=$SECONDS
echo "building kube-apiserver, kube-scheduler $KUBERNETES_VERSION and etcd $ETCD_VERSION into $out" >&2

# k8s.io/kubernetes points its staging modules at ./staging, which its module zip does not carry:
# build it as the main module with those replaced by the published staging modules.
src=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
work="$cache/build/kubernetes-$KUBERNETES_VERSION"
rm -rf "$work" && mkdir -p "$(dirname "$work")" && cp -r "$src" "$work" && chmod -R u+w "$work"
rm -f "$work/go.work" "$work/go.work.sum"
staging=v0.${KUBERNETES_VERSION#v1.}
sed -i -E "s#^(\s*)(k8s\.io/[a-z0-9-]+) => \./staging/src/k8s\.io/[a-z0-9-]+\$#\1\2 => \2 $staging#" "$work/go.mod"
(cd "$work" && go build -trimpath -o "$out/kube-apiserver" ./cmd/kube-apiserver \
  && go build -trimpath -o "$out/kube-scheduler" ./cmd/kube-scheduler) >&2
(cd "$here/etcd" && go build -trimpath -o "$out/etcd" .) >&2
rm -rf "$work"
echo "$recipe" >"$out/recipe"
echo "built the control plane in $((SECONDS - start)) s" >&2
echo "$out"
