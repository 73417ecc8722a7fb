#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: node_gpu_capacity
short_description: Verify GPU nodes as the Kubernetes API server sees them
version_added: 0.1.0
description:
  - For every GPU node (the nodes matching O(node_selector), plus every node named in O(nodes) or O(host_results)),
    checks that the node is Ready, that its allocatable C(nvidia.com/gpu) reaches the expected count, and that the
    GPU feature discovery product label names the expected product.
  - Expectations come from O(nodes), else from the host's P(llmops.baremetal.gpu_capacity#module) result in
    O(host_results) (GPU count, and the NVML name turned into the label form), else at least one GPU.
  - "A failure names the node and the mismatch, for example
    C(node gpu-2: allocatable nvidia.com/gpu is 0, expected 1 (device plugin not running or runtime not wired))."
  - Read-only; never reports a change.
author:
  - llmops.baremetal contributors (@llmops)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - llmops.baremetal.read_only
options:
  node_selector:
    description: Label selector of the GPU nodes; empty to check only the nodes named in O(nodes) and O(host_results).
    type: str
    default: nvidia.com/gpu.present=true
  nodes:
    description: Explicit expectations per node.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Node name.
        type: str
        required: true
      gpus:
        description: GPUs the node must offer.
        type: int
      product:
        description: Product the GFD label must name (spaces or dashes, case-insensitive substring).
        type: str
  host_results:
    description: gpu_capacity results by node name, for example built from C(hostvars).
    type: dict
    default: {}
  resource_name:
    description: Extended resource that counts GPUs.
    type: str
    default: nvidia.com/gpu
  product_label:
    description: Node label that names the GPU product.
    type: str
    default: nvidia.com/gpu.product
  require_ready:
    description: Fail for GPU nodes that are not Ready.
    type: bool
    default: true
requirements:
  - kubernetes >= 24.2.0
'''

EXAMPLES = r'''
- name: Every GPU node offers what its host reported
  llmops.baremetal.node_gpu_capacity:
    host_results: "{{ dict(groups['gpu'] | zip(groups['gpu'] | map('extract', hostvars, 'gpu_capacity_result'))) }}"

- name: Explicit expectations
  llmops.baremetal.node_gpu_capacity:
    kubeconfig: /etc/rancher/k3s/k3s.yaml
    nodes:
      - name: gex131-1
        gpus: 1
        product: RTX PRO 6000 Blackwell
      - name: gex44-1
        gpus: 1
        product: RTX 4000 SFF Ada
'''

RETURN = r'''
nodes:
  description: One report per GPU node.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Node name.
      type: str
    ready:
      description: Whether the node is Ready.
      type: bool
    allocatable_gpus:
      description: Allocatable GPUs.
      type: int
    capacity_gpus:
      description: GPU capacity.
      type: int
    product:
      description: Value of the product label, or null.
      type: str
    expected_gpus:
      description: GPUs expected.
      type: int
    expected_product:
      description: Product expected, or null.
      type: str
    problems:
      description: What is wrong with this node.
      type: list
      elements: str
problems:
  description: Every problem found, each naming its node.
  returned: always
  type: list
  elements: str
'''

import copy

from ansible_collections.kubernetes.core.plugins.module_utils.ansiblemodule import AnsibleModule
from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.llmops.baremetal.plugins.module_utils.gpu_nodes import check_nodes

try:
    from kubernetes.dynamic.exceptions import NotFoundError
except ImportError:
    # handled by AnsibleK8SModule
    NotFoundError = Exception


def argspec():
    spec = copy.deepcopy(AUTH_ARG_SPEC)
    spec.update(
        node_selector=dict(type='str', default='nvidia.com/gpu.present=true'),
        nodes=dict(type='list', elements='dict', default=[], options=dict(
            name=dict(type='str', required=True), gpus=dict(type='int'), product=dict(type='str'))),
        host_results=dict(type='dict', default={}),
        resource_name=dict(type='str', default='nvidia.com/gpu'),
        product_label=dict(type='str', default='nvidia.com/gpu.product'),
        require_ready=dict(type='bool', default=True),
    )
    return spec


def fetch_nodes(client, selector, names):
    api = client.resource('Node', 'v1')
    found = {}
    if selector:
        for item in client.get(api, label_selector=selector).to_dict()['items']:
            found[item['metadata']['name']] = item
    for name in names:
        if name not in found:
            try:
                found[name] = client.get(api, name=name).to_dict()
            except NotFoundError:
                pass
    return list(found.values())


def main():
    module = AnsibleK8SModule(module_class=AnsibleModule, argument_spec=argspec(), supports_check_mode=True)
    params = module.params
    explicit = dict((item['name'], item) for item in params['nodes'])
    try:
        client = get_api_client(module)
        nodes = fetch_nodes(client, params['node_selector'], sorted(set(explicit) | set(params['host_results'])))
    except CoreException as exc:
        module.fail_from_exception(exc)
    reports, problems = check_nodes(nodes, explicit, params['host_results'], params['resource_name'],
                                    params['product_label'], params['require_ready'], params['node_selector'])
    result = dict(changed=False, nodes=reports, problems=problems)
    if problems:
        module.fail_json(msg='GPU node check failed: ' + '; '.join(problems), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
