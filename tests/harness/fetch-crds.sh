#!/usr/bin/env bash
# Fetch the real CustomResourceDefinitions of the projects the collection renders objects for, from
# their pinned Go modules (the module proxy serves their repositories), so the test API server
# validates our HelmCharts, Certificates, Middlewares, ScaledObjects and ServiceMonitors against the
# upstream schemas. Cached outside the repository; prints the directory holding the CRD files.
set -euo pipefail

TRAEFIK=github.com/traefik/traefik/v3@v3.7.13
CERT_MANAGER=github.com/cert-manager/cert-manager@v1.21.2
KEDA=github.com/kedacore/keda/v2@v2.21.0
PROMETHEUS_OPERATOR=github.com/prometheus-operator/prometheus-operator@v0.85.0
HELM_CONTROLLER=github.com/k3s-io/helm-controller@v0.17.9

cache=${LLMOPS_CACHE:-$HOME/.cache/llmops}
recipe=$(sha256sum "$0" | cut -c1-16)
out="$cache/crds/$recipe"
if [ -f "$out/.complete" ]; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "Go is needed to fetch the CRDs" >&2; exit 1; }
export GOMODCACHE="$cache/gomod" GOFLAGS=-mod=mod
dir() { (cd /tmp && go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'); }
rm -rf "$out" && mkdir -p "$out"
src=$(dir $HELM_CONTROLLER)
cp "$src"/pkg/crds/yaml/generated/helm.cattle.io_{helmcharts,helmchartconfigs}.yaml "$out"/
src=$(dir $TRAEFIK)
cp "$src/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" "$out/traefik.io_crds.yaml"
src=$(dir $CERT_MANAGER)
cp "$src"/deploy/crds/cert-manager.io_{certificates,clusterissuers,issuers}.yaml "$out"/
src=$(dir $KEDA)
cp "$src"/config/crd/bases/keda.sh_{scaledobjects,triggerauthentications}.yaml "$out"/
src=$(dir $PROMETHEUS_OPERATOR)
cp "$src"/example/prometheus-operator-crd/monitoring.coreos.com_{servicemonitors,prometheusrules}.yaml "$out"/
chmod u+w "$out"/*
touch "$out/.complete"
echo "$out"
