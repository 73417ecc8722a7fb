# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.llmops.baremetal.plugins.module_utils import nvidia_smi

FIXTURES = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'nvidia_smi')


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


@pytest.mark.parametrize('name, product, memory, driver', [
    ('h100_sxm.rc0', 'NVIDIA H100 80GB HBM3', 81559, '580.95.05'),
    ('l40s.rc0', 'NVIDIA L40S', 46068, '570.172.08'),
    ('rtx4000_sff_ada.rc0', 'NVIDIA RTX 4000 SFF Ada Generation', 20475, '550.163.01'),
    ('rtx_pro_6000_blackwell.rc0', 'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition', 97887, '580.95.05'),
])
def test_parse_single_gpu(name, product, memory, driver):
    gpus = nvidia_smi.parse_query_output(fixture(name))
    assert len(gpus) == 1
    gpu = gpus[0]
    assert gpu['index'] == 0
    assert gpu['name'] == product
    assert gpu['memory_total_mib'] == memory
    assert gpu['driver_version'] == driver
    assert gpu['uuid'].startswith('GPU-')
    assert gpu['pci_bus_id'].startswith('00000000:')


def test_parse_multi_gpu_keeps_order_and_bus_ids():
    gpus = nvidia_smi.parse_query_output(fixture('h100_x8.rc0'))
    assert [gpu['index'] for gpu in gpus] == list(range(8))
    assert gpus[7]['pci_bus_id'] == '00000000:DB:00.0'
    assert len(set(gpu['uuid'] for gpu in gpus)) == 8


def test_not_available_memory_becomes_none():
    gpu = nvidia_smi.parse_query_output(fixture('memory_not_available.rc0'))[0]
    assert gpu['memory_total_mib'] is None
    assert nvidia_smi.check_expectations([gpu], min_memory_mib=1) == [
        'GPU 0 (NVIDIA A100-SXM4-40GB) does not report its memory']


def test_wrong_field_count_is_a_query_failure():
    with pytest.raises(nvidia_smi.NvidiaSmiError) as err:
        nvidia_smi.parse_query_output('0, NVIDIA L40S, 46068\n')
    assert err.value.reason == nvidia_smi.REASON_QUERY_FAILED


@pytest.mark.parametrize('name, rc, reason, words', [
    ('no_devices.rc6', 6, nvidia_smi.REASON_NO_GPU, 'no NVIDIA GPU found'),
    ('driver_mismatch.rc18', 18, nvidia_smi.REASON_DRIVER_MISMATCH, 'reboot is needed'),
    ('driver_not_loaded.rc9', 9, nvidia_smi.REASON_DRIVER_NOT_LOADED, 'no NVIDIA GPU usable'),
])
def test_classify_failures(name, rc, reason, words):
    error = nvidia_smi.classify_failure(rc, fixture(name), '')
    assert error.reason == reason
    assert words in error.message


def test_classify_unknown_failure_keeps_first_line():
    error = nvidia_smi.classify_failure(255, '', 'Segmentation fault\nmore')
    assert error.reason == nvidia_smi.REASON_QUERY_FAILED
    assert error.message == 'nvidia-smi failed with exit code 255: Segmentation fault'


def test_expectations_all_met():
    gpus = nvidia_smi.parse_query_output(fixture('rtx_pro_6000_blackwell.rc0'))
    assert nvidia_smi.check_expectations(
        gpus, expected_count=1, expected_product='rtx pro 6000 blackwell', min_memory_mib=97000,
        min_driver_version='580', expected_driver_version='580.95.05') == []


def test_expectations_each_shortfall_is_named():
    gpus = nvidia_smi.parse_query_output(fixture('rtx4000_sff_ada.rc0'))
    problems = nvidia_smi.check_expectations(
        gpus, expected_count=2, expected_product='RTX PRO 6000', min_memory_mib=40000, min_driver_version='580.65')
    assert problems == [
        'found 1 GPU(s), expected 2',
        'GPU 0 (NVIDIA RTX 4000 SFF Ada Generation) is not a "RTX PRO 6000"',
        'GPU 0 (NVIDIA RTX 4000 SFF Ada Generation) has 20475 MiB, expected at least 40000 MiB',
        'GPU 0 (NVIDIA RTX 4000 SFF Ada Generation) runs driver 550.163.01, expected at least 580.65',
    ]


def test_no_gpus_is_a_problem_without_expectations():
    assert nvidia_smi.check_expectations([]) == ['no NVIDIA GPU found: nvidia-smi listed no devices']


@pytest.mark.parametrize('older, newer', [('550.163.01', '580'), ('580.9', '580.65.06'), ('575.57.08', '580.95.05')])
def test_version_compare_is_numeric(older, newer):
    assert nvidia_smi.version_tuple(older) < nvidia_smi.version_tuple(newer)


def test_proc_version_parse():
    assert nvidia_smi.parse_proc_version(fixture('proc_driver_nvidia_version.txt')) == '580.95.05'
    assert nvidia_smi.parse_proc_version('NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.216.01  Tue') == '535.216.01'
    assert nvidia_smi.parse_proc_version('') is None
