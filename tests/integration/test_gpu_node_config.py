# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""gpu_node_config against a real kube-apiserver: labels, taints and RuntimeClass are enforced on
nodes that already exist, a second run changes nothing, and a GPU node that never joined is named."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

GPU_TAINT = {'key': 'nvidia.com/gpu', 'value': 'present', 'effect': 'NoSchedule'}

PLAY = '''
- name: Configure GPU nodes
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: llmops.baremetal.gpu_node_config
      vars:
        gpu_node_config_kubeconfig: %(kubeconfig)s
        gpu_node_config_gpu_nodes: %(gpu)s
        gpu_node_config_cpu_nodes: %(cpu)s
        gpu_node_config_extra_labels:
          llmops.io/gpu-line: gex131
'''


@pytest.fixture(scope='module')
def api(control_plane):
    kubernetes = pytest.importorskip('kubernetes')
    core = kubernetes.client.CoreV1Api(kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig))
    for name in ('lab-gpu-a', 'lab-gpu-b', 'lab-cpu-a'):
        core.create_node({'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': name}})
    # A CPU node that was tainted by mistake must be cleaned up.
    core.patch_node('lab-cpu-a', {'spec': {'taints': [GPU_TAINT]}})
    yield core
    # The API server is shared by the session: leave no GPU-labelled nodes behind.
    for name in ('lab-gpu-a', 'lab-gpu-b', 'lab-cpu-a'):
        core.delete_node(name)


def apply(ansible, control_plane, gpu, cpu):
    playbook = PLAY % {'kubeconfig': control_plane.kubeconfig, 'gpu': json.dumps(gpu), 'cpu': json.dumps(cpu)}
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=playbook)
    return result.returncode, result.stdout + result.stderr


def taints(node):
    """The node's taints (the API server also adds node.kubernetes.io/not-ready to new nodes)."""
    return [{'key': t.key, 'value': t.value, 'effect': t.effect} for t in node.spec.taints or []]


def test_enforced_then_idempotent(ansible, control_plane, api):
    rc, output = apply(ansible, control_plane, ['lab-gpu-a', 'lab-gpu-b'], ['lab-cpu-a'])
    assert rc == 0, output
    for name in ('lab-gpu-a', 'lab-gpu-b'):
        node = api.read_node(name)
        assert node.metadata.labels['nvidia.com/gpu.present'] == 'true'
        assert node.metadata.labels['llmops.io/gpu-line'] == 'gex131'
        assert GPU_TAINT in taints(node)
    assert GPU_TAINT not in taints(api.read_node('lab-cpu-a'))
    assert 'nvidia.com/gpu.present' not in (api.read_node('lab-cpu-a').metadata.labels or {})

    rc, output = apply(ansible, control_plane, ['lab-gpu-a', 'lab-gpu-b'], ['lab-cpu-a'])
    assert rc == 0, output
    assert 'changed=0' in output, output


def test_runtime_class_exists(control_plane, api):
    kubernetes = pytest.importorskip('kubernetes')
    node_api = kubernetes.client.NodeV1Api(kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig))
    assert node_api.read_runtime_class('nvidia').handler == 'nvidia'


def test_unknown_gpu_node_is_named(ansible, control_plane, api):
    rc, output = apply(ansible, control_plane, ['lab-gpu-a', 'lab-gpu-z'], [])
    assert rc != 0
    assert 'GPU node(s) lab-gpu-z not found in the cluster' in ' '.join(output.split()), output
