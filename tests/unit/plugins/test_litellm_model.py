# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.llmops.baremetal.plugins.filter.litellm_model import litellm_model


def test_routes_the_served_name_to_the_models_service():
    assert litellm_model(['llama-3.3-70b-instruct', 'llama-3-3-70b-awq'], 'llmops') == {
        'model_name': 'llama-3.3-70b-instruct',
        'litellm_params': {'model': 'hosted_vllm/llama-3.3-70b-instruct',
                           'api_base': 'http://vllm-llama-3-3-70b-awq.llmops.svc:8000/v1',
                           'api_key': 'os.environ/VLLM_API_KEY'}}
    assert litellm_model(['m', 'n'], 'serving', '9000')['litellm_params']['api_base'] == 'http://vllm-n.serving.svc:9000/v1'
