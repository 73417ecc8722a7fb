#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A complete `hf download --local-dir` cache of declared size: config.json and a sparse safetensors
file whose header declares the weights, with download metadata naming the commit. It is what
model_cache_status and the vLLM guardrails read. The lab seeds its model on the storage host with it
(seam: no model can be downloaded here): seed_model_cache.py DIR COMMIT WEIGHT_BYTES; the vLLM
integration tests build their caches with write_cache."""

import json
import os
import struct
import sys

LAB_CONFIG = {'architectures': ['Qwen2ForCausalLM'], 'hidden_size': 896, 'num_attention_heads': 14,
              'num_hidden_layers': 24, 'num_key_value_heads': 2, 'max_position_embeddings': 32768,
              'torch_dtype': 'bfloat16'}


def write_cache(directory, config, weight_bytes, commit):
    meta = os.path.join(directory, '.cache', 'huggingface', 'download')
    os.makedirs(meta, exist_ok=True)
    elements = int(weight_bytes) // 2
    header = json.dumps({'w': {'dtype': 'BF16', 'shape': [elements], 'data_offsets': [0, elements * 2]}}).encode()
    header += b' ' * (-len(header) % 8)
    with open(os.path.join(directory, 'model.safetensors'), 'wb') as handle:
        handle.write(struct.pack('<Q', len(header)) + header)
        handle.truncate(8 + len(header) + elements * 2)
    with open(os.path.join(directory, 'config.json'), 'w') as handle:
        json.dump(config, handle)
    for name in ('model.safetensors', 'config.json'):
        with open(os.path.join(meta, name + '.metadata'), 'w') as handle:
            handle.write('%s\n%s\n1764288000.0\n' % (commit, '0' * 64))


if __name__ == '__main__':
    write_cache(sys.argv[1], LAB_CONFIG, sys.argv[3], sys.argv[2])
