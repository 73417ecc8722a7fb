# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.llmops.baremetal.plugins.modules import model_cache_status

from module_runner import run_module

from hf_cache_builder import blob_of, build_hub_cache, sharded_model

MODEL = 'org/tiny-llama'


def run(capsys, args):
    return run_module(model_cache_status, capsys, args)


def test_complete_cache_passes(capsys, tmp_path):
    build_hub_cache(tmp_path, MODEL, sharded_model())
    result = run(capsys, {'path': str(tmp_path), 'model': MODEL, '_ansible_check_mode': True})
    assert result['_rc'] == 0
    assert result['changed'] is False
    assert result['state'] == 'complete'
    assert result['weights']['parameter_count'] == 72


def test_require_complete_names_state_and_files(capsys, tmp_path):
    repo = build_hub_cache(tmp_path, MODEL, sharded_model())
    os.truncate(blob_of(repo, 'model-00001-of-00002.safetensors'), 20)
    os.remove(blob_of(repo, 'model-00002-of-00002.safetensors'))
    result = run(capsys, {'path': str(tmp_path), 'model': MODEL})
    assert result['failed'] is True
    assert result['state'] == 'corrupt'
    assert result['msg'] == ('model cache at %s (%s) is corrupt: corrupt: model-00001-of-00002.safetensors, '
                             'corrupt: model-00002-of-00002.safetensors' % (tmp_path, MODEL))


def test_missing_without_require_complete_reports(capsys, tmp_path):
    result = run(capsys, {'path': str(tmp_path), 'model': MODEL, 'require_complete': False})
    assert result['_rc'] == 0
    assert result['state'] == 'missing'
    assert result['complete'] is False


def test_missing_fails_by_default(capsys, tmp_path):
    result = run(capsys, {'path': str(tmp_path), 'model': MODEL})
    assert result['failed'] is True
    assert result['msg'] == 'model cache at %s (%s) is missing' % (tmp_path, MODEL)
