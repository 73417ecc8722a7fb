# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nodes of one GPU product (GFD's nvidia.com/gpu.product label) and what they offer."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

PRODUCT = 'nvidia.com/gpu.product'
MEMORY = 'nvidia.com/gpu.memory'
GPU = 'nvidia.com/gpu'


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def gpu_node_summary(nodes, product):
    """nodes: Node objects as kubernetes.core.k8s_info returns them."""
    chosen = [n for n in nodes if ((n.get('metadata') or {}).get('labels') or {}).get(PRODUCT) == product]
    gpus = [_int(((n.get('status') or {}).get('allocatable') or {}).get(GPU)) for n in chosen]
    memory = [_int(n['metadata']['labels'].get(MEMORY)) for n in chosen]
    return {
        'nodes': [n['metadata']['name'] for n in chosen],
        'gpus_total': sum(gpus),
        'gpus_per_node_max': max(gpus) if gpus else 0,
        'memory_mib': max(memory) if memory else 0,
    }


class FilterModule(object):
    def filters(self):
        return {'gpu_node_summary': gpu_node_summary}
