# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""gpu_capacity end to end: the module runs a stand-in nvidia-smi that replays recorded output.

Seam: the stand-in binary checks that it is called with exactly the documented query arguments
and replays the recorded stdout and exit code of a real nvidia-smi; no GPU exists on CI.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat
import sys

import pytest

from ansible_collections.llmops.baremetal.plugins.module_utils.nvidia_smi import QUERY_ARGS
from ansible_collections.llmops.baremetal.plugins.modules import gpu_capacity

from module_runner import run_module

FIXTURES = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'nvidia_smi')

STANDIN = '''#!{python}
import sys
expected = {expected!r}
if sys.argv[1:] != expected:
    sys.stderr.write('stand-in nvidia-smi: unexpected arguments %r\\n' % (sys.argv[1:],))
    sys.exit(2)
with open({fixture!r}) as handle:
    sys.stdout.write(handle.read())
sys.exit({rc})
'''


@pytest.fixture
def fake_smi(tmp_path):
    def make(name):
        rc = int(name.rsplit('.rc', 1)[1])
        path = tmp_path / 'nvidia-smi'
        path.write_text(STANDIN.format(python=sys.executable, expected=QUERY_ARGS,
                                       fixture=os.path.join(FIXTURES, name), rc=rc))
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return str(path)
    return make


def run(capsys, args):
    return run_module(gpu_capacity, capsys, args)


def test_healthy_blackwell_node(capsys, fake_smi):
    result = run(capsys, {
        'nvidia_smi_path': fake_smi('rtx_pro_6000_blackwell.rc0'), 'expected_count': 1,
        'expected_product': 'RTX PRO 6000 Blackwell', 'min_memory_mib': 97000, 'min_driver_version': '580'})
    assert result['_rc'] == 0
    assert result['changed'] is False
    assert result['gpu_count'] == 1
    assert result['driver_version'] == '580.95.05'
    assert result['gpus'][0]['memory_total_mib'] == 97887


def test_multi_gpu_count_short(capsys, fake_smi):
    result = run(capsys, {'nvidia_smi_path': fake_smi('h100_x8.rc0'), 'expected_count': 10})
    assert result['failed'] is True
    assert result['reason'] == 'expectation_not_met'
    assert result['gpu_count'] == 8
    assert 'found 8 GPU(s), expected 10' in result['msg']


def test_gex44_is_not_a_gex131(capsys, fake_smi):
    result = run(capsys, {'nvidia_smi_path': fake_smi('rtx4000_sff_ada.rc0'),
                          'expected_product': 'RTX PRO 6000', 'min_memory_mib': 90000})
    assert result['failed'] is True
    assert 'is not a "RTX PRO 6000"' in result['msg']
    assert 'has 20475 MiB, expected at least 90000 MiB' in result['msg']


@pytest.mark.parametrize('name, reason, words', [
    ('no_devices.rc6', 'no_gpu', 'no NVIDIA GPU found'),
    ('driver_mismatch.rc18', 'driver_library_mismatch', 'A reboot is needed'),
    ('driver_not_loaded.rc9', 'driver_not_loaded', 'no NVIDIA GPU usable'),
])
def test_failures_name_the_cause(capsys, fake_smi, name, reason, words):
    result = run(capsys, {'nvidia_smi_path': fake_smi(name)})
    assert result['failed'] is True
    assert result['changed'] is False
    assert result['reason'] == reason
    assert words in result['msg']


def test_missing_binary(capsys, tmp_path):
    result = run(capsys, {'nvidia_smi_path': str(tmp_path / 'absent' / 'nvidia-smi')})
    assert result['failed'] is True
    assert result['reason'] == 'nvidia_smi_missing'


def test_missing_from_path(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv('PATH', str(tmp_path))
    monkeypatch.setattr(gpu_capacity.AnsibleModule, 'get_bin_path', lambda self, name, *a, **k: None)
    result = run(capsys, {})
    assert result['reason'] == 'nvidia_smi_missing'
    assert 'not found on PATH' in result['msg']


def test_check_mode_runs_the_same(capsys, fake_smi):
    result = run(capsys, {'nvidia_smi_path': fake_smi('l40s.rc0'), '_ansible_check_mode': True,
                          'expected_product': 'L40S'})
    assert result['_rc'] == 0
    assert result['gpus'][0]['name'] == 'NVIDIA L40S'


def test_loaded_module_version_read(tmp_path):
    proc = tmp_path / 'version'
    with open(os.path.join(FIXTURES, 'proc_driver_nvidia_version.txt')) as handle:
        proc.write_text(handle.read())
    assert gpu_capacity.read_loaded_module_version(str(proc)) == '580.95.05'
    assert gpu_capacity.read_loaded_module_version(str(tmp_path / 'none')) is None
