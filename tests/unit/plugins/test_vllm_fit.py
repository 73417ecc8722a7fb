# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.llmops.baremetal.plugins.filter.vllm_fit import kv_bytes_per_token, vllm_fit

# Llama 3.3 70B's config.json dimensions.
LLAMA_70B = {'num_hidden_layers': 80, 'num_attention_heads': 64, 'num_key_value_heads': 8, 'hidden_size': 8192}
RTX_PRO_6000_MIB = 97887


def test_kv_per_token_of_llama_70b():
    # 2 x 80 layers x 8 KV heads x 128 head dim x 2 bytes = 320 KiB per token.
    assert kv_bytes_per_token(LLAMA_70B) == 327680
    assert kv_bytes_per_token(LLAMA_70B, 'fp8') == 163840
    assert kv_bytes_per_token({'text_config': LLAMA_70B}) == 327680


def test_unquantized_70b_does_not_fit_one_96gb_gpu():
    fit = vllm_fit(141_100_000_000, LLAMA_70B, RTX_PRO_6000_MIB, 0.92, 1, 32768, 16)
    assert not fit['fits'] and fit['kv_tokens'] == 0
    assert fit['weights_gib'] == 131.4 and fit['usable_gib'] == 87.9


def test_awq_70b_fits_one_96gb_gpu_but_not_every_sequence_at_full_length():
    fit = vllm_fit(39_800_000_000, LLAMA_70B, RTX_PRO_6000_MIB, 0.92, 1, 32768, 16)
    assert fit['fits']
    # 87.9 GiB usable - 37.1 GiB weights - 1.5 GiB overhead = 49.4 GiB of KV cache at 320 KiB per token.
    assert fit['kv_budget_gib'] == 49.4 and 161000 < fit['kv_tokens'] < 162000
    assert 4 <= fit['concurrent_sequences_at_max_len'] < 16
    assert not fit['all_sequences_fit']


def test_tensor_parallel_multiplies_usable_memory():
    one = vllm_fit(141_100_000_000, LLAMA_70B, 81559, 0.9, 1, 8192, 8)
    two = vllm_fit(141_100_000_000, LLAMA_70B, 81559, 0.9, 2, 8192, 8)
    assert not one['fits'] and two['fits']


def test_config_without_dimensions_is_refused():
    with pytest.raises(AnsibleFilterError, match='config.json lacks'):
        kv_bytes_per_token({'architectures': ['LlamaForCausalLM']})
    with pytest.raises(AnsibleFilterError, match='unknown kv_cache_dtype'):
        kv_bytes_per_token(LLAMA_70B, 'int3')


def test_gpu_node_summary_selects_by_product_label():
    from ansible_collections.llmops.baremetal.plugins.filter.gpu_node_summary import gpu_node_summary
    nodes = [
        {'metadata': {'name': 'gex131-1', 'labels': {'nvidia.com/gpu.product': 'P6000', 'nvidia.com/gpu.memory': '97887'}},
         'status': {'allocatable': {'nvidia.com/gpu': '1'}}},
        {'metadata': {'name': 'gex131-2', 'labels': {'nvidia.com/gpu.product': 'P6000'}}, 'status': {'allocatable': {}}},
        {'metadata': {'name': 'gex44-1', 'labels': {'nvidia.com/gpu.product': 'RTX4000'}},
         'status': {'allocatable': {'nvidia.com/gpu': '1'}}},
        {'metadata': {'name': 'ctrl-1'}, 'status': {}},
    ]
    assert gpu_node_summary(nodes, 'P6000') == {'nodes': ['gex131-1', 'gex131-2'], 'gpus_total': 1,
                                                'gpus_per_node_max': 1, 'memory_mib': 97887}
    assert gpu_node_summary(nodes, 'L40S') == {'nodes': [], 'gpus_total': 0, 'gpus_per_node_max': 0, 'memory_mib': 0}
