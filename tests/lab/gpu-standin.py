#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the NVIDIA device plugin and GPU feature discovery on a lab GPU node.

Seam: there is no GPU here. It does what those two would make visible through the API server,
the documented way for extended resources: it adds `nvidia.com/gpu` to the node's status capacity
(the kubelet derives allocatable from it) and puts GFD's labels on the node (gpu.product,
gpu.memory, gpu.count), from /etc/llmops-lab/gpu.json, and puts them back when they go missing.
molecule/cluster stops it (systemctl stop llmops-lab-gpu) to take a node's GPU away."""

import json
import socket
import subprocess
import time

KUBECONFIG = '/var/lib/rancher/k3s/agent/kubelet.kubeconfig'


def kubectl(*args):
    return subprocess.run(['/opt/llmops-lab/bin/kubectl', '--kubeconfig', KUBECONFIG] + list(args),
                          capture_output=True, text=True, check=False)


def advertise(node, count):
    patch = [{'op': 'add', 'path': '/status/capacity/nvidia.com~1gpu', 'value': str(count)}]
    return kubectl('patch', 'node', node, '--subresource', 'status', '--type', 'json', '-p', json.dumps(patch))


def main():
    with open('/etc/llmops-lab/gpu.json') as handle:
        gpu = json.load(handle)
    node = socket.gethostname()
    while True:
        found = kubectl('get', 'node', node, '-o', 'json')
        if found.returncode == 0:
            status = json.loads(found.stdout)
            if status['status'].get('capacity', {}).get('nvidia.com/gpu') != str(gpu['count']):
                advertise(node, gpu['count'])
            labels = {'nvidia.com/gpu.product': gpu['product'], 'nvidia.com/gpu.memory': str(gpu['memory_mib']),
                      'nvidia.com/gpu.count': str(gpu['count'])}
            if any(status['metadata'].get('labels', {}).get(k) != v for k, v in labels.items()):
                kubectl('label', 'node', node, '--overwrite', *['%s=%s' % item for item in labels.items()])
        time.sleep(5)


if __name__ == '__main__':
    main()
