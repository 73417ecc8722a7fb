# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.llmops.baremetal.plugins.module_utils.hf_cache import inspect_cache

from hf_cache_builder import (COMMIT, blob_of, build_hub_cache, build_local_dir, sharded_model,
                              single_file_model)

MODEL = 'org/tiny-llama'


def flip_last_byte(path):
    """Change one byte of tensor data, keeping the size."""
    with open(path, 'r+b') as handle:
        handle.seek(-1, os.SEEK_END)
        last = handle.read(1)
        handle.seek(-1, os.SEEK_END)
        handle.write(bytes([last[0] ^ 0xFF]))


def inspect(root, **kwargs):
    kwargs.setdefault('model', MODEL)
    return inspect_cache(str(root), **kwargs).result()


def test_complete_sharded(tmp_path):
    build_hub_cache(tmp_path, MODEL, sharded_model())
    result = inspect(tmp_path)
    assert result['state'] == 'complete' and result['complete'] is True
    assert result['layout'] == 'hub_cache'
    assert result['commit'] == COMMIT
    assert result['files'] == 4
    assert result['weights']['format'] == 'safetensors'
    assert result['weights']['parameter_count'] == 4 * 8 + 8 + 16 * 2
    assert result['weights']['dtypes'] == {'F16': 40, 'F32': 32}
    assert result['weights']['bytes'] == 40 * 2 + 32 * 4
    assert result['size_bytes'] == sum(len(data) for data in sharded_model().values())


def test_complete_single_file_with_checksums(tmp_path):
    build_hub_cache(tmp_path, MODEL, single_file_model())
    result = inspect(tmp_path, verify_checksums=True)
    assert result['state'] == 'complete'
    assert result['weights']['parameter_count'] == 15


def test_missing_shard(tmp_path):
    files = sharded_model()
    del files['model-00002-of-00002.safetensors']
    build_hub_cache(tmp_path, MODEL, files)
    result = inspect(tmp_path)
    assert result['state'] == 'incomplete'
    assert result['missing_files'] == ['model-00002-of-00002.safetensors']


def test_incomplete_blob(tmp_path):
    repo = build_hub_cache(tmp_path, MODEL, sharded_model())
    partial = os.path.join(repo, 'blobs', 'b' * 64 + '.incomplete')
    with open(partial, 'wb') as handle:
        handle.write(b'\0' * 10)
    result = inspect(tmp_path)
    assert result['state'] == 'incomplete'
    assert result['incomplete_files'] == ['blobs/' + 'b' * 64 + '.incomplete']


def test_broken_symlink(tmp_path):
    repo = build_hub_cache(tmp_path, MODEL, sharded_model())
    os.remove(blob_of(repo, 'model-00001-of-00002.safetensors'))
    result = inspect(tmp_path)
    assert result['state'] == 'corrupt'
    assert result['corrupt_files'] == ['model-00001-of-00002.safetensors']


def test_truncated_shard(tmp_path):
    repo = build_hub_cache(tmp_path, MODEL, sharded_model())
    blob = blob_of(repo, 'model-00002-of-00002.safetensors')
    os.truncate(blob, os.path.getsize(blob) - 4)
    result = inspect(tmp_path)
    assert result['state'] == 'corrupt'
    assert result['corrupt_files'] == ['model-00002-of-00002.safetensors']


def test_checksum_mismatch_found_only_with_checksums(tmp_path):
    repo = build_hub_cache(tmp_path, MODEL, sharded_model())
    flip_last_byte(blob_of(repo, 'model-00002-of-00002.safetensors'))
    assert inspect(tmp_path)['state'] == 'complete'
    result = inspect(tmp_path, verify_checksums=True)
    assert result['state'] == 'corrupt'
    assert result['corrupt_files'] == ['model-00002-of-00002.safetensors']


def test_git_file_checksum_mismatch(tmp_path):
    repo = build_hub_cache(tmp_path, MODEL, sharded_model())
    with open(blob_of(repo, 'config.json'), 'r+b') as handle:
        handle.write(b'[')
    assert inspect(tmp_path, verify_checksums=True)['corrupt_files'] == ['config.json']


def test_ref_naming_missing_snapshot(tmp_path):
    repo = build_hub_cache(tmp_path, MODEL, sharded_model())
    with open(os.path.join(repo, 'refs', 'main'), 'w') as handle:
        handle.write('c' * 40)
    result = inspect(tmp_path)
    assert result['state'] == 'incomplete'
    assert result['commit'] == 'c' * 40
    assert result['missing_files'] == ['snapshots/' + 'c' * 40]


def test_revision_by_commit_and_unknown_ref(tmp_path):
    build_hub_cache(tmp_path, MODEL, single_file_model())
    assert inspect(tmp_path, revision=COMMIT)['state'] == 'complete'
    assert inspect(tmp_path, revision='v2')['state'] == 'missing'


def test_local_dir_complete_and_checksums(tmp_path):
    build_local_dir(tmp_path, sharded_model())
    result = inspect(tmp_path, model=None, verify_checksums=True)
    assert result['state'] == 'complete'
    assert result['layout'] == 'local_dir'
    assert result['commit'] == COMMIT
    assert result['files'] == 4


def test_local_dir_incomplete(tmp_path):
    files = sharded_model()
    shard = files.pop('model-00002-of-00002.safetensors')
    build_local_dir(tmp_path, files)
    partial = tmp_path / '.cache' / 'huggingface' / 'download' / 'model-00002-of-00002.safetensors.incomplete'
    partial.write_bytes(shard[:100])
    result = inspect(tmp_path, model=None)
    assert result['state'] == 'incomplete'
    assert result['missing_files'] == ['model-00002-of-00002.safetensors']
    assert result['incomplete_files'] == ['model-00002-of-00002.safetensors']


def test_local_dir_checksum_mismatch(tmp_path):
    build_local_dir(tmp_path, single_file_model())
    flip_last_byte(str(tmp_path / 'model.safetensors'))
    assert inspect(tmp_path, model=None, verify_checksums=True)['corrupt_files'] == ['model.safetensors']


def test_model_absent(tmp_path):
    build_hub_cache(tmp_path, 'org/other', single_file_model())
    result = inspect(tmp_path)
    assert result['state'] == 'missing'
    assert result['complete'] is False
    assert inspect(tmp_path / 'nowhere')['state'] == 'missing'


def test_hub_cache_layout_needs_a_model(tmp_path):
    with pytest.raises(ValueError, match='model is required'):
        inspect_cache(str(tmp_path), layout='hub_cache')
