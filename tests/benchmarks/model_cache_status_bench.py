#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark model_cache_status's inspection (not a test; run by hand).

1. A 70B-sized hub cache (bf16, ~140 GB in 30 shards, ~720 tensors) made of sparse files with real
   safetensors headers: the no-checksum check must take well under a second.
2. Checksums over a smaller cache of real data: parallel hashing against one-file-at-a-time
   sha256 (what a sequential verifier does).

Usage: PYTHONPATH=.collections python tests/benchmarks/model_cache_status_bench.py [--real-mib 1024]
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import hashlib
import json
import os
import struct
import sys
import tempfile
import time

from ansible_collections.llmops.baremetal.plugins.module_utils.hf_cache import file_sha256, inspect_cache

MODEL = 'meta-llama/Llama-3.3-70B-Instruct'
COMMIT = '6f6073b423013f6a7d4d9f39144961bfbfbc386b'


def write_shard(path, tensors, sparse=True, seed=0):
    """tensors: list of (name, shape); bf16. Writes header, then data (sparse or random)."""
    header, offset = {}, 0
    for name, shape in tensors:
        size = 2
        for dim in shape:
            size *= dim
        header[name] = {'dtype': 'BF16', 'shape': list(shape), 'data_offsets': [offset, offset + size]}
        offset += size
    raw = json.dumps(header, separators=(',', ':')).encode()
    raw += b' ' * (-len(raw) % 8)
    with open(path, 'wb') as handle:
        handle.write(struct.pack('<Q', len(raw)) + raw)
        if sparse:
            handle.truncate(8 + len(raw) + offset)
        else:
            handle.write(os.urandom(offset))
    return offset


def llama70b_tensors():
    hidden, inter, vocab = 8192, 28672, 128256
    tensors = [('model.embed_tokens.weight', (vocab, hidden)), ('lm_head.weight', (vocab, hidden)),
               ('model.norm.weight', (hidden,))]
    for layer in range(80):
        prefix = 'model.layers.%d.' % layer
        tensors += [(prefix + 'self_attn.q_proj.weight', (hidden, hidden)), (prefix + 'self_attn.k_proj.weight', (1024, hidden)),
                    (prefix + 'self_attn.v_proj.weight', (1024, hidden)), (prefix + 'self_attn.o_proj.weight', (hidden, hidden)),
                    (prefix + 'mlp.gate_proj.weight', (inter, hidden)), (prefix + 'mlp.up_proj.weight', (inter, hidden)),
                    (prefix + 'mlp.down_proj.weight', (hidden, inter)), (prefix + 'input_layernorm.weight', (hidden,)),
                    (prefix + 'post_attention_layernorm.weight', (hidden,))]
    return tensors


def build(root, tensors, shards, sparse):
    repo = os.path.join(root, 'models--' + MODEL.replace('/', '--'))
    snapshot = os.path.join(repo, 'snapshots', COMMIT)
    os.makedirs(snapshot)
    os.makedirs(os.path.join(repo, 'blobs'))
    os.makedirs(os.path.join(repo, 'refs'))
    with open(os.path.join(repo, 'refs', 'main'), 'w') as handle:
        handle.write(COMMIT)
    per_shard = (len(tensors) + shards - 1) // shards
    weight_map, total = {}, 0
    for number in range(shards):
        name = 'model-%05d-of-%05d.safetensors' % (number + 1, shards)
        part = tensors[number * per_shard:(number + 1) * per_shard]
        tmp = os.path.join(repo, 'blobs', 'tmp')
        total += write_shard(tmp, part, sparse)
        blob = os.path.join(repo, 'blobs', file_sha256(tmp) if not sparse else hashlib.sha256(name.encode()).hexdigest())
        os.rename(tmp, blob)
        os.symlink(os.path.relpath(blob, snapshot), os.path.join(snapshot, name))
        weight_map.update({tensor: name for tensor, dummy in part})
    index = json.dumps({'metadata': {'total_size': total}, 'weight_map': weight_map}).encode()
    blob = os.path.join(repo, 'blobs', hashlib.sha1(b'blob %d\0' % len(index) + index).hexdigest())
    with open(blob, 'wb') as handle:
        handle.write(index)
    os.symlink(os.path.relpath(blob, snapshot), os.path.join(snapshot, 'model.safetensors.index.json'))
    return total


def timed(func, repeat=3):
    best = None
    for dummy in range(repeat):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--real-mib', type=int, default=1024, help='size of the real-data cache for checksums')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        total = build(root, llama70b_tensors(), 30, sparse=True)
        seconds, report = timed(lambda: inspect_cache(root, MODEL))
        result = report.result()
        print('sparse 70B cache: %.1f GB in %d files, state %s, %d parameters: %.3f s without checksums'
              % (total / 1e9, result['files'], result['state'], result['weights']['parameter_count'], seconds))
    with tempfile.TemporaryDirectory() as root:
        rows = args.real_mib * 1024 * 1024 // (2 * 4096)
        build(root, [('t%d' % n, (rows // 16, 4096)) for n in range(16)], 8, sparse=False)
        parallel, report = timed(lambda: inspect_cache(root, MODEL, verify_checksums=True), repeat=2)
        assert report.state == 'complete', report.result()
        snapshot = os.path.join(root, 'models--' + MODEL.replace('/', '--'), 'snapshots', COMMIT)
        files = [os.path.join(snapshot, name) for name in sorted(os.listdir(snapshot)) if name.endswith('.safetensors')]
        sequential = timed(lambda: [file_sha256(path) for path in files], repeat=2)[0]
        print('real %d MiB cache, checksums: %.2f s parallel on %d cores, %.2f s one file at a time (%.2fx)'
              % (args.real_mib, parallel, os.cpu_count(), sequential, sequential / parallel))
    return 0


if __name__ == '__main__':
    sys.exit(main())
