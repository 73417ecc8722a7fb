#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: gpu_capacity
short_description: Verify the NVIDIA GPUs of a host against expectations
version_added: 0.1.0
description:
  - Reads the GPUs of the host by running C(nvidia-smi --query-gpu=index,name,uuid,memory.total,driver_version,pci.bus_id
    --format=csv,noheader,nounits) and checks them against the given expectations.
  - Read-only; never reports a change.
  - Fails with a message naming the cause when nvidia-smi is missing, no GPU is found, the driver is not loaded,
    NVML reports a driver/library version mismatch (a reboot is needed), or an expectation is not met.
    A host without any GPU is a failure even when no expectation is given.
  - The failure result carries a stable RV(reason) code so playbooks can branch on the cause.
author:
  - llmops.baremetal contributors (@llmops)
options:
  expected_count:
    description: Minimum number of GPUs the host must have.
    type: int
  expected_product:
    description:
      - Product each GPU must be, matched as a case-insensitive substring of the nvidia-smi name,
        for example C(RTX PRO 6000) or C(RTX 4000 SFF Ada).
    type: str
  min_memory_mib:
    description: Minimum total memory of each GPU, in MiB.
    type: int
  min_driver_version:
    description: Minimum driver version, compared numerically part by part (C(580) accepts C(580.95.05)).
    type: str
  expected_driver_version:
    description:
      - Exact driver version every GPU must report, for example the version of the installed driver
        package, to prove the loaded kernel module is the one installed.
    type: str
  nvidia_smi_path:
    description: Path of the nvidia-smi binary. Found on E(PATH) when not given.
    type: path
extends_documentation_fragment:
  - llmops.baremetal.read_only
notes:
  - On a GPU node, run it after the driver is installed and the host rebooted into the new kernel module.
seealso:
  - name: nvidia-smi documentation
    description: The query fields the module reads.
    link: https://docs.nvidia.com/deploy/nvidia-smi/index.html
'''

EXAMPLES = r'''
- name: Check a GEX131 node (one RTX PRO 6000 Blackwell, 96 GB, driver branch 580)
  llmops.baremetal.gpu_capacity:
    expected_count: 1
    expected_product: RTX PRO 6000 Blackwell
    min_memory_mib: 97000
    min_driver_version: "580"

- name: Read the GPUs without expectations (still fails on a host without GPU)
  llmops.baremetal.gpu_capacity:
  register: gpu

- name: Branch on the cause instead of failing
  llmops.baremetal.gpu_capacity:
  register: gpu
  failed_when: false

- name: Reboot when NVML says the driver and library versions differ
  ansible.builtin.reboot:
  when: gpu.reason | default('') == 'driver_library_mismatch'
'''

RETURN = r'''
gpu_count:
  description: Number of GPUs found.
  returned: always
  type: int
  sample: 1
driver_version:
  description: Driver version reported by the first GPU (all GPUs of a host share one driver).
  returned: when a GPU was found
  type: str
  sample: 580.95.05
loaded_module_version:
  description: Version of the loaded kernel module from C(/proc/driver/nvidia/version), when readable.
  returned: always
  type: str
  sample: 580.95.05
gpus:
  description: One entry per GPU.
  returned: always
  type: list
  elements: dict
  contains:
    index:
      description: GPU index.
      type: int
      sample: 0
    name:
      description: Product name as NVML reports it.
      type: str
      sample: NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition
    uuid:
      description: GPU UUID.
      type: str
      sample: GPU-2f4c5d7e-1a2b-4c3d-9e8f-0a1b2c3d4e5f
    memory_total_mib:
      description: Total memory in MiB.
      type: int
      sample: 97887
    pci_bus_id:
      description: PCI bus id.
      type: str
      sample: 00000000:01:00.0
    driver_version:
      description: Driver version.
      type: str
      sample: 580.95.05
reason:
  description:
    - Why the check failed; one of C(nvidia_smi_missing), C(no_gpu), C(driver_not_loaded),
      C(driver_library_mismatch), C(query_failed), C(expectation_not_met).
  returned: failure
  type: str
  sample: driver_library_mismatch
problems:
  description: Every unmet expectation, one sentence each.
  returned: always
  type: list
  elements: str
  sample: ["found 1 GPU(s), expected 2"]
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.llmops.baremetal.plugins.module_utils.nvidia_smi import (
    QUERY_ARGS,
    REASON_EXPECTATION,
    REASON_MISSING,
    NvidiaSmiError,
    check_expectations,
    classify_failure,
    parse_proc_version,
    parse_query_output,
)

PROC_VERSION = '/proc/driver/nvidia/version'


def read_loaded_module_version(path=PROC_VERSION):
    try:
        with open(path) as handle:
            return parse_proc_version(handle.read())
    except (IOError, OSError):
        return None


def query_gpus(module):
    nvidia_smi = module.params['nvidia_smi_path']
    if nvidia_smi:
        if not os.access(nvidia_smi, os.X_OK):
            raise NvidiaSmiError(REASON_MISSING, 'nvidia-smi not found at %s (or not executable)' % nvidia_smi)
    else:
        nvidia_smi = module.get_bin_path('nvidia-smi')
        if not nvidia_smi:
            raise NvidiaSmiError(REASON_MISSING, 'nvidia-smi not found on PATH: the NVIDIA driver utilities are not installed')
    rc, stdout, stderr = module.run_command([nvidia_smi] + QUERY_ARGS)
    if rc != 0:
        raise classify_failure(rc, stdout, stderr)
    gpus = parse_query_output(stdout)
    if not gpus:
        raise classify_failure(rc, 'No devices were found', stderr)
    return gpus


def main():
    module = AnsibleModule(
        argument_spec=dict(
            expected_count=dict(type='int'),
            expected_product=dict(type='str'),
            min_memory_mib=dict(type='int'),
            min_driver_version=dict(type='str'),
            expected_driver_version=dict(type='str'),
            nvidia_smi_path=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    result = dict(changed=False, gpu_count=0, gpus=[], problems=[],
                  loaded_module_version=read_loaded_module_version())

    try:
        gpus = query_gpus(module)
    except NvidiaSmiError as exc:
        module.fail_json(msg=exc.message, reason=exc.reason, **result)

    result.update(gpus=gpus, gpu_count=len(gpus), driver_version=gpus[0]['driver_version'])
    result['problems'] = check_expectations(
        gpus,
        expected_count=params['expected_count'],
        expected_product=params['expected_product'],
        min_memory_mib=params['min_memory_mib'],
        min_driver_version=params['min_driver_version'],
        expected_driver_version=params['expected_driver_version'],
    )
    if result['problems']:
        module.fail_json(msg='GPU check failed: ' + '; '.join(result['problems']), reason=REASON_EXPECTATION, **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
