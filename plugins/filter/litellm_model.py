# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One LiteLLM model_list entry routing a served model name to its vLLM Service."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def litellm_model(pair, namespace, port=8000):
    served, name = pair
    return {
        'model_name': served,
        'litellm_params': {
            'model': 'hosted_vllm/' + served,
            'api_base': 'http://vllm-%s.%s.svc:%d/v1' % (name, namespace, int(port)),
            'api_key': 'os.environ/VLLM_API_KEY',
        },
    }


class FilterModule(object):
    def filters(self):
        return {'litellm_model': litellm_model}
