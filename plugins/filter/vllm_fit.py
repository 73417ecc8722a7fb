# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Does a model fit its GPUs under vLLM? Weights plus KV cache against GPU memory x utilization x TP."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

GIB = 1024 ** 3
KV_BYTES = {'auto': 2, 'bfloat16': 2, 'float16': 2, 'fp8': 1, 'fp8_e4m3': 1, 'fp8_e5m2': 1}


def kv_bytes_per_token(config, kv_cache_dtype='auto'):
    """2 (K and V) x layers x KV heads x head dim x bytes per element, from a transformers config.json."""
    config = config.get('text_config', config)
    try:
        layers = int(config['num_hidden_layers'])
        heads = int(config['num_attention_heads'])
        kv_heads = int(config.get('num_key_value_heads') or heads)
        head_dim = int(config.get('head_dim') or int(config['hidden_size']) // heads)
    except (KeyError, TypeError, ValueError) as exc:
        raise AnsibleFilterError('config.json lacks %s: cannot size the KV cache' % exc)
    if kv_cache_dtype not in KV_BYTES:
        raise AnsibleFilterError('unknown kv_cache_dtype %r (known: %s)' % (kv_cache_dtype, ', '.join(sorted(KV_BYTES))))
    return 2 * layers * kv_heads * head_dim * KV_BYTES[kv_cache_dtype]


def vllm_fit(weight_bytes, config, gpu_memory_mib, gpu_memory_utilization, tensor_parallel_size, max_model_len,
             max_num_seqs, overhead_gib_per_gpu=1.5, kv_cache_dtype='auto'):
    """Numbers for the model-fit guardrail; all sizes in bytes unless the key says GiB."""
    usable = int(gpu_memory_mib) * 1024 * 1024 * float(gpu_memory_utilization) * int(tensor_parallel_size)
    overhead = float(overhead_gib_per_gpu) * GIB * int(tensor_parallel_size)
    per_token = kv_bytes_per_token(config, kv_cache_dtype)
    kv_budget = usable - int(weight_bytes) - overhead
    tokens = max(int(kv_budget // per_token), 0)
    return {
        'usable_gib': round(usable / GIB, 1),
        'weights_gib': round(int(weight_bytes) / GIB, 1),
        'overhead_gib': round(overhead / GIB, 1),
        'kv_budget_gib': round(kv_budget / GIB, 1),
        'kv_bytes_per_token': per_token,
        'kv_tokens': tokens,
        # vLLM refuses to start when one sequence of max_model_len does not fit in the KV cache.
        'fits': kv_budget > 0 and tokens >= int(max_model_len),
        'concurrent_sequences_at_max_len': tokens // int(max_model_len) if int(max_model_len) else 0,
        'all_sequences_fit': tokens >= int(max_model_len) * int(max_num_seqs),
    }


class FilterModule(object):
    def filters(self):
        return {'vllm_fit': vllm_fit}
