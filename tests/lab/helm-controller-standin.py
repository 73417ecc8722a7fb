#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for k3s's helm-controller in the lab, run by the k3s stand-in on servers.

Seam: no chart repository and no image registry can be reached here, so a HelmChart cannot be
installed. For every HelmChart it applies what the chart would bring that the roles depend on: the
chart's CustomResourceDefinitions, the real ones from the pinned upstream Go modules (CRDS/<chart>/,
laid out by tests/lab/lab.sh), and records the outcome in the HelmChart's status like the controller
(condition JobCreated; Failed when the chart is unknown here). The charts' workloads are not created."""

import json
import os
import subprocess
import sys
import time


def kubectl(kubeconfig, *args, **kwargs):
    return subprocess.run(['/opt/llmops-lab/bin/kubectl', '--kubeconfig', kubeconfig] + list(args),
                          capture_output=True, text=True, check=False, **kwargs)


def reconcile(kubeconfig, crds, done):
    listed = kubectl(kubeconfig, 'get', 'helmcharts.helm.cattle.io', '-A', '-o', 'json')
    if listed.returncode != 0:
        return
    for chart in json.loads(listed.stdout)['items']:
        meta, spec = chart['metadata'], chart['spec']
        key = (meta['namespace'], meta['name'], meta['generation'])
        if key in done:
            continue
        source = os.path.join(crds, spec.get('chart', ''))
        applied = kubectl(kubeconfig, 'apply', '--server-side', '--force-conflicts', '-f', source) \
            if os.path.isdir(source) else None
        ok = applied is None or applied.returncode == 0
        status = {'status': {'jobName': 'helm-install-' + meta['name'], 'conditions': [{
            'type': 'JobCreated' if ok else 'Failed', 'status': 'True',
            'reason': 'LabStandin', 'message': 'CRDs of chart %s %s applied (%s); workloads not installed in the lab'
            % (spec.get('chart'), spec.get('version'), 'none known' if applied is None else 'ok' if ok else
               applied.stderr.strip()[:200])}]}}
        kubectl(kubeconfig, 'patch', 'helmchart', meta['name'], '-n', meta['namespace'], '--subresource', 'status',
                '--type', 'merge', '-p', json.dumps(status))
        if ok:
            done.add(key)


def main(kubeconfig, crds):
    done = set()
    while True:
        reconcile(kubeconfig, crds, done)
        time.sleep(3)


if __name__ == '__main__':
    main(*sys.argv[1:3])
