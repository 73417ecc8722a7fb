# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Judge GPU nodes as the API server sees them: allocatable GPUs, GFD product label, readiness.

Works on plain node dicts (``metadata``/``status`` as the API returns them), so it is tested without
a cluster and shared by every module that checks GPU nodes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def product_label(nvml_name):
    """GPU feature discovery's nvidia.com/gpu.product value for an NVML product name."""
    return (nvml_name or '').strip().replace(' ', '-')


def _quantity(value):
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def _ready(node):
    for condition in (node.get('status') or {}).get('conditions') or []:
        if condition.get('type') == 'Ready':
            return condition.get('status') == 'True'
    return False


def expectations_for(name, explicit, host_results):
    """(gpus, product) expected for a node: explicit settings first, then its gpu_capacity result."""
    gpus = product = None
    host = (host_results or {}).get(name) or {}
    if host.get('gpus'):
        gpus = host.get('gpu_count', len(host['gpus']))
        product = product_label(host['gpus'][0].get('name'))
    settings = (explicit or {}).get(name) or {}
    if settings.get('gpus') is not None:
        gpus = settings['gpus']
    if settings.get('product'):
        product = settings['product']
    return (gpus if gpus is not None else 1), product


def check_node(node, expected_gpus, expected_product, resource='nvidia.com/gpu',
               label='nvidia.com/gpu.product', require_ready=True):
    """Return (report dict, problems) for one node."""
    name = node['metadata']['name']
    status = node.get('status') or {}
    labels = node['metadata'].get('labels') or {}
    report = {
        'name': name,
        'ready': _ready(node),
        'allocatable_gpus': _quantity((status.get('allocatable') or {}).get(resource, 0)),
        'capacity_gpus': _quantity((status.get('capacity') or {}).get(resource, 0)),
        'product': labels.get(label),
        'expected_gpus': expected_gpus,
        'expected_product': expected_product,
    }
    problems = []
    if require_ready and not report['ready']:
        problems.append('node %s: not Ready' % name)
    if report['allocatable_gpus'] < expected_gpus:
        problems.append('node %s: allocatable %s is %d, expected %d (device plugin not running or runtime not wired)'
                        % (name, resource, report['allocatable_gpus'], expected_gpus))
    if expected_product:
        if report['product'] is None:
            problems.append('node %s: label %s is missing (GPU feature discovery not running)' % (name, label))
        elif product_label(expected_product).lower() not in report['product'].lower():
            problems.append('node %s: %s is %s, expected %s' % (name, label, report['product'], product_label(expected_product)))
    report['problems'] = problems
    return report, problems


def check_nodes(nodes, explicit=None, host_results=None, resource='nvidia.com/gpu',
                label='nvidia.com/gpu.product', require_ready=True, selector=''):
    """Check every given node; nodes that are expected but absent are problems too."""
    reports, problems = [], []
    seen = set()
    for node in sorted(nodes, key=lambda item: item['metadata']['name']):
        name = node['metadata']['name']
        seen.add(name)
        gpus, product = expectations_for(name, explicit, host_results)
        report, node_problems = check_node(node, gpus, product, resource, label, require_ready)
        reports.append(report)
        problems.extend(node_problems)
    for name in sorted(set(explicit or {}) | set(host_results or {})):
        if name not in seen:
            problems.append('node %s: not found in the cluster' % name)
    if not nodes and not problems:
        problems.append('no GPU node found (selector %s)' % (selector or 'none'))
    return reports, problems
