#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed a complete `hf download --local-dir` cache on the lab's storage host (run there).

Seam: the model cannot be downloaded here. The files are what model_cache_status and the vLLM
guardrails read: config.json and a sparse safetensors file whose header declares the weights, with
the download metadata naming the pinned commit. Usage: seed-model-cache.py DIR COMMIT WEIGHT_BYTES"""

import json
import os
import struct
import sys

CONFIG = {'architectures': ['Qwen2ForCausalLM'], 'hidden_size': 896, 'num_attention_heads': 14,
          'num_hidden_layers': 24, 'num_key_value_heads': 2, 'max_position_embeddings': 32768,
          'torch_dtype': 'bfloat16'}


def main(directory, commit, weight_bytes):
    meta = os.path.join(directory, '.cache', 'huggingface', 'download')
    os.makedirs(meta, exist_ok=True)
    elements = int(weight_bytes) // 2
    header = json.dumps({'w': {'dtype': 'BF16', 'shape': [elements], 'data_offsets': [0, elements * 2]}}).encode()
    header += b' ' * (-len(header) % 8)
    with open(os.path.join(directory, 'model.safetensors'), 'wb') as handle:
        handle.write(struct.pack('<Q', len(header)) + header)
        handle.truncate(8 + len(header) + elements * 2)
    with open(os.path.join(directory, 'config.json'), 'w') as handle:
        json.dump(CONFIG, handle)
    for name in ('model.safetensors', 'config.json'):
        with open(os.path.join(meta, name + '.metadata'), 'w') as handle:
            handle.write('%s\n%s\n1764288000.0\n' % (commit, '0' * 64))


if __name__ == '__main__':
    main(*sys.argv[1:4])
