# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Parse and judge the output of ``nvidia-smi --query-gpu``.

Shared by the gpu_capacity module and by anything else that reads GPU inventory from a host.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import re

QUERY_FIELDS = ('index', 'name', 'uuid', 'memory.total', 'driver_version', 'pci.bus_id')
QUERY_ARGS = ['--query-gpu=' + ','.join(QUERY_FIELDS), '--format=csv,noheader,nounits']

# Failure reasons, stable strings that playbooks may test for.
REASON_MISSING = 'nvidia_smi_missing'
REASON_NO_GPU = 'no_gpu'
REASON_DRIVER_NOT_LOADED = 'driver_not_loaded'
REASON_DRIVER_MISMATCH = 'driver_library_mismatch'
REASON_QUERY_FAILED = 'query_failed'
REASON_EXPECTATION = 'expectation_not_met'

_NO_DEVICES = re.compile(r'No devices were found', re.IGNORECASE)
_MISMATCH = re.compile(r'Driver/library version mismatch', re.IGNORECASE)
_NO_DRIVER = re.compile(r"couldn't communicate with the NVIDIA driver|NVIDIA driver is not loaded", re.IGNORECASE)
_NOT_AVAILABLE = ('[N/A]', '[Not Supported]', '[Unknown Error]', '[Insufficient Permissions]')


class NvidiaSmiError(Exception):
    """nvidia-smi could not report GPUs; ``reason`` is one of the REASON_* strings."""

    def __init__(self, reason, message):
        super(NvidiaSmiError, self).__init__(message)
        self.reason = reason
        self.message = message


def classify_failure(rc, stdout, stderr):
    """Turn a failed nvidia-smi run into an NvidiaSmiError naming the cause."""
    text = '\n'.join(part for part in (stdout, stderr) if part).strip()
    if _MISMATCH.search(text):
        return NvidiaSmiError(
            REASON_DRIVER_MISMATCH,
            'NVML reports a driver/library version mismatch: the NVIDIA userspace libraries were '
            'upgraded but the old kernel module is still loaded. A reboot is needed '
            '(nvidia-smi: %s)' % _first_line(text))
    if _NO_DEVICES.search(text):
        return NvidiaSmiError(REASON_NO_GPU, 'no NVIDIA GPU found: nvidia-smi says "No devices were found"')
    if _NO_DRIVER.search(text):
        return NvidiaSmiError(
            REASON_DRIVER_NOT_LOADED,
            'no NVIDIA GPU usable: nvidia-smi cannot communicate with the NVIDIA kernel driver '
            '(no GPU in this host, or the nvidia module is not loaded; a reboot after a driver '
            'install loads it)')
    return NvidiaSmiError(REASON_QUERY_FAILED, 'nvidia-smi failed with exit code %s: %s' % (rc, _first_line(text) or 'no output'))


def _first_line(text):
    for line in (text or '').splitlines():
        if line.strip():
            return line.strip()
    return ''


def _to_int(value):
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def parse_query_output(text):
    """Parse CSV rows of QUERY_FIELDS (noheader, nounits) into a list of GPU dicts."""
    gpus = []
    rows = csv.reader((line for line in text.splitlines() if line.strip()), skipinitialspace=True)
    for row in rows:
        if len(row) != len(QUERY_FIELDS):
            raise NvidiaSmiError(
                REASON_QUERY_FAILED,
                'unexpected nvidia-smi output (expected %d fields, got %d): %s'
                % (len(QUERY_FIELDS), len(row), ', '.join(row)))
        values = [None if value.strip() in _NOT_AVAILABLE else value.strip() for value in row]
        index, name, uuid, memory, driver, bus_id = values
        gpus.append({
            'index': _to_int(index),
            'name': name,
            'uuid': uuid,
            'memory_total_mib': _to_int(memory),
            'driver_version': driver,
            'pci_bus_id': bus_id,
        })
    return gpus


def version_tuple(version):
    """'580.95.05' -> (580, 95, 5); non-numeric parts are ignored."""
    return tuple(int(part) for part in re.findall(r'\d+', version or ''))


def parse_proc_version(text):
    """Kernel module version from /proc/driver/nvidia/version, or None."""
    match = re.search(r'Kernel Module(?: for [\w/]+)?\s+([\d.]+)', text or '')
    return match.group(1) if match else None


def check_expectations(gpus, expected_count=None, expected_product=None, min_memory_mib=None,
                       min_driver_version=None, expected_driver_version=None):
    """Return a list of human-readable problems; empty when every expectation holds."""
    problems = []
    if not gpus:
        return ['no NVIDIA GPU found: nvidia-smi listed no devices']
    if expected_count is not None and len(gpus) < expected_count:
        problems.append('found %d GPU(s), expected %d' % (len(gpus), expected_count))
    for gpu in gpus:
        label = 'GPU %s (%s)' % (gpu['index'], gpu['name'])
        if expected_product and expected_product.lower() not in (gpu['name'] or '').lower():
            problems.append('%s is not a "%s"' % (label, expected_product))
        if min_memory_mib is not None:
            memory = gpu['memory_total_mib']
            if memory is None:
                problems.append('%s does not report its memory' % label)
            elif memory < min_memory_mib:
                problems.append('%s has %d MiB, expected at least %d MiB' % (label, memory, min_memory_mib))
        driver = gpu['driver_version']
        if min_driver_version and version_tuple(driver) < version_tuple(min_driver_version):
            problems.append('%s runs driver %s, expected at least %s' % (label, driver, min_driver_version))
        if expected_driver_version and driver != expected_driver_version:
            problems.append('%s runs driver %s, expected exactly %s' % (label, driver, expected_driver_version))
    return problems
