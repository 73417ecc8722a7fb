# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""node_gpu_capacity against a real kube-apiserver.

Seam: no GPU and no kubelet here, so the test advertises nvidia.com/gpu the documented way for
extended resources (a JSON patch of the node status) and sets the labels GFD would set.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

BLACKWELL_LABEL = 'NVIDIA-RTX-PRO-6000-Blackwell-Max-Q-Workstation-Edition'

PLAY = '''
- name: Check the GPU nodes
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Check them
      llmops.baremetal.node_gpu_capacity:
        kubeconfig: %(kubeconfig)s
        nodes: %(nodes)s
        host_results: %(host_results)s
'''

HOST_RESULT = {
    'gpu_count': 1,
    'gpus': [{'index': 0, 'name': 'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition', 'memory_total_mib': 97887}],
}


@pytest.fixture(scope='module')
def core(control_plane):
    kubernetes = pytest.importorskip('kubernetes')
    api = kubernetes.client.CoreV1Api(kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig))
    for name, gpu in (('gpu-1', True), ('gpu-2', True), ('cpu-1', False)):
        labels = {'nvidia.com/gpu.present': 'true', 'nvidia.com/gpu.product': BLACKWELL_LABEL} if gpu else {}
        api.create_node({'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': name, 'labels': labels}})
        ready = {'type': 'Ready', 'status': 'True', 'reason': 'KubeletReady', 'message': 'test'}
        patch = [{'op': 'add', 'path': '/status/conditions', 'value': [ready]}]
        if gpu:
            patch += [{'op': 'add', 'path': '/status/capacity', 'value': {'nvidia.com/gpu': '1'}},
                      {'op': 'add', 'path': '/status/allocatable', 'value': {'nvidia.com/gpu': '1'}}]
        api.patch_node_status(name, patch)
    yield api
    # The API server is shared by the session: leave no GPU-labelled nodes behind.
    for name in ('gpu-1', 'gpu-2', 'cpu-1'):
        api.delete_node(name)


def run(ansible, control_plane, nodes=None, host_results=None):
    playbook = PLAY % {'kubeconfig': control_plane.kubeconfig, 'nodes': json.dumps(nodes or []),
                       'host_results': json.dumps(host_results or {})}
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=playbook)
    return result.returncode, result.stdout + result.stderr


def test_healthy_lab_passes(ansible, control_plane, core):
    rc, output = run(ansible, control_plane, host_results={'gpu-1': HOST_RESULT})
    assert rc == 0, output


def test_wrong_product_is_named(ansible, control_plane, core):
    rc, output = run(ansible, control_plane, nodes=[{'name': 'gpu-2', 'product': 'RTX 4000 SFF Ada'}])
    assert rc != 0
    assert 'node gpu-2: nvidia.com/gpu.product is %s, expected RTX-4000-SFF-Ada' % BLACKWELL_LABEL in output, output


def test_removed_capacity_fails_naming_the_node(ansible, control_plane, core):
    core.patch_node_status('gpu-2', [{'op': 'remove', 'path': '/status/allocatable/nvidia.com~1gpu'},
                                     {'op': 'remove', 'path': '/status/capacity/nvidia.com~1gpu'}])
    rc, output = run(ansible, control_plane)
    assert rc != 0
    assert ('node gpu-2: allocatable nvidia.com/gpu is 0, expected 1 '
            '(device plugin not running or runtime not wired)') in ' '.join(output.split()), output
    assert 'node gpu-1' not in output.split('GPU node check failed:')[-1].split('\n')[0]
