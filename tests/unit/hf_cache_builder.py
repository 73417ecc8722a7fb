# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build tiny but real Hugging Face caches for tests: safetensors files written by the
safetensors library, laid out the way huggingface_hub lays out its hub cache and --local-dir."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os

import numpy as np
from safetensors.numpy import save

COMMIT = 'a' * 40


def tensors_bytes(seed, shapes):
    rng = np.random.default_rng(seed)
    return save({name: rng.standard_normal(shape).astype(dtype) for name, (shape, dtype) in shapes.items()})


def sharded_model():
    """Two shards plus index and config: 4*8 + 8 (f16) + 16*2 (f32) = 72 parameters."""
    shard1 = tensors_bytes(1, {'embed.weight': ((4, 8), np.float16), 'norm.weight': ((8,), np.float16)})
    shard2 = tensors_bytes(2, {'lm_head.weight': ((16, 2), np.float32)})
    index = {'metadata': {'total_size': 0}, 'weight_map': {
        'embed.weight': 'model-00001-of-00002.safetensors', 'norm.weight': 'model-00001-of-00002.safetensors',
        'lm_head.weight': 'model-00002-of-00002.safetensors'}}
    return {
        'config.json': json.dumps({'architectures': ['LlamaForCausalLM']}).encode(),
        'model.safetensors.index.json': json.dumps(index).encode(),
        'model-00001-of-00002.safetensors': shard1,
        'model-00002-of-00002.safetensors': shard2,
    }


def single_file_model():
    return {
        'config.json': b'{"architectures": ["MistralForCausalLM"]}',
        'model.safetensors': tensors_bytes(3, {'w': ((3, 5), np.float32)}),
    }


def git_sha1(data):
    return hashlib.sha1(b'blob %d\0' % len(data) + data).hexdigest()


def is_lfs(name):
    return name.endswith('.safetensors')


def build_hub_cache(root, model, files, commit=COMMIT, ref='main'):
    """Write ROOT/models--ORG--NAME with blobs named by content hash and snapshot symlinks."""
    repo = os.path.join(str(root), 'models--' + model.replace('/', '--'))
    for sub in ('blobs', 'refs', os.path.join('snapshots', commit)):
        os.makedirs(os.path.join(repo, sub), exist_ok=True)
    with open(os.path.join(repo, 'refs', ref), 'w') as handle:
        handle.write(commit)
    for name, data in files.items():
        blob = hashlib.sha256(data).hexdigest() if is_lfs(name) else git_sha1(data)
        with open(os.path.join(repo, 'blobs', blob), 'wb') as handle:
            handle.write(data)
        link = os.path.join(repo, 'snapshots', commit, name)
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath(os.path.join(repo, 'blobs', blob), os.path.dirname(link)), link)
    return repo


def blob_of(repo, name, commit=COMMIT):
    return os.path.realpath(os.path.join(repo, 'snapshots', commit, name))


def build_local_dir(directory, files, commit=COMMIT):
    """Write files the way `hf download --local-dir` does, with its metadata files."""
    meta = os.path.join(str(directory), '.cache', 'huggingface', 'download')
    os.makedirs(meta, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(str(directory), name), 'wb') as handle:
            handle.write(data)
        etag = hashlib.sha256(data).hexdigest() if is_lfs(name) else git_sha1(data)
        with open(os.path.join(meta, name + '.metadata'), 'w') as handle:
            handle.write('%s\n%s\n1764288000.0\n' % (commit, etag))
    return str(directory)
