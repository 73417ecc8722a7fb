# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.llmops.baremetal.plugins.module_utils.gpu_nodes import check_nodes, product_label

BLACKWELL = 'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition'


def node(name, gpus=1, product=BLACKWELL, ready=True):
    labels = {'nvidia.com/gpu.present': 'true'}
    if product:
        labels['nvidia.com/gpu.product'] = product_label(product)
    return {'metadata': {'name': name, 'labels': labels},
            'status': {'allocatable': {'nvidia.com/gpu': str(gpus)}, 'capacity': {'nvidia.com/gpu': str(gpus)},
                       'conditions': [{'type': 'Ready', 'status': 'True' if ready else 'False'}]}}


def test_label_form_matches_gfd():
    assert product_label(BLACKWELL) == 'NVIDIA-RTX-PRO-6000-Blackwell-Max-Q-Workstation-Edition'
    assert product_label('NVIDIA RTX 4000 SFF Ada Generation') == 'NVIDIA-RTX-4000-SFF-Ada-Generation'


def test_healthy_nodes_pass():
    reports, problems = check_nodes([node('gpu-1'), node('gpu-2')])
    assert problems == []
    assert [report['allocatable_gpus'] for report in reports] == [1, 1]


def test_zero_allocatable_names_node_and_cause():
    problems = check_nodes([node('gpu-1'), node('gpu-2', gpus=0)])[1]
    assert problems == ['node gpu-2: allocatable nvidia.com/gpu is 0, expected 1 '
                        '(device plugin not running or runtime not wired)']


def test_expectations_from_host_results():
    host = {'gpu_count': 2, 'gpus': [{'name': BLACKWELL}, {'name': BLACKWELL}]}
    problems = check_nodes([node('gpu-1', gpus=1)], host_results={'gpu-1': host})[1]
    assert problems == ['node gpu-1: allocatable nvidia.com/gpu is 1, expected 2 '
                        '(device plugin not running or runtime not wired)']


def test_explicit_product_mismatch_and_missing_label():
    explicit = {'gpu-1': {'name': 'gpu-1', 'product': 'RTX 4000 SFF Ada'}, 'gpu-2': {'name': 'gpu-2', 'product': 'RTX PRO 6000'}}
    problems = check_nodes([node('gpu-1'), node('gpu-2', product=None)], explicit)[1]
    assert problems == [
        'node gpu-1: nvidia.com/gpu.product is NVIDIA-RTX-PRO-6000-Blackwell-Max-Q-Workstation-Edition, expected RTX-4000-SFF-Ada',
        'node gpu-2: label nvidia.com/gpu.product is missing (GPU feature discovery not running)',
    ]


def test_not_ready_and_absent_nodes():
    problems = check_nodes([node('gpu-1', ready=False)], {'gpu-9': {'name': 'gpu-9'}})[1]
    assert problems == ['node gpu-1: not Ready', 'node gpu-9: not found in the cluster']


def test_no_gpu_nodes_at_all():
    assert check_nodes([], selector='nvidia.com/gpu.present=true')[1] == [
        'no GPU node found (selector nvidia.com/gpu.present=true)']
