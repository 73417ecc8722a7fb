#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: openai_endpoint
short_description: Check an OpenAI-compatible endpoint end to end and time its first token
version_added: 0.1.0
description:
  - Checks that C(/v1/models) refuses a request without the API key (401), lists O(model) with it, and that one
    short streamed chat completion returns tokens; reports the time to first token.
  - Optionally checks a health URL (vLLM's C(/health), which is never behind the API key) first.
  - Read-only; never reports a change.
author:
  - llmops.baremetal contributors (@llmops)
extends_documentation_fragment:
  - llmops.baremetal.read_only
options:
  url:
    description: Base URL, without C(/v1), for example the ingress C(https://llama.example.com).
    type: str
    required: true
  api_key:
    description: API key sent as a bearer token.
    type: str
    required: true
  model:
    description: Served model name that must be listed and is asked for the completion.
    type: str
    required: true
  health_url:
    description: URL that must answer 200 first, for example a port-forwarded C(/health).
    type: str
  validate_certs:
    description: Verify the server's TLS certificate.
    type: bool
    default: true
  ca_path:
    description: CA bundle to verify the certificate with (a private or staging issuer).
    type: path
  timeout:
    description: Seconds allowed for each request, the streamed completion included.
    type: int
    default: 60
  prompt:
    description: Prompt of the streamed completion.
    type: str
    default: Say OK.
  max_tokens:
    description: Tokens to generate.
    type: int
    default: 8
  max_time_to_first_token:
    description: Fail when the first token takes longer than this many seconds; 0 to only report.
    type: float
    default: 0
'''

EXAMPLES = r'''
- name: Check the model through the ingress
  llmops.baremetal.openai_endpoint:
    url: https://llama.example.com
    api_key: "{{ vault_vllm_api_key }}"
    model: llama-3.3-70b-instruct
    max_time_to_first_token: 2.5
  register: endpoint
'''

RETURN = r'''
models:
  description: Model ids listed by C(/v1/models).
  returned: success
  type: list
  elements: str
unauthenticated_status:
  description: HTTP status of C(/v1/models) without the key (401 expected).
  returned: success
  type: int
health_status:
  description: HTTP status of O(health_url), when given.
  returned: success
  type: int
time_to_first_token_seconds:
  description: Seconds from sending the streamed request to the first content token.
  returned: success
  type: float
total_seconds:
  description: Seconds until the stream ended.
  returned: success
  type: float
chunks:
  description: Content chunks received.
  returned: success
  type: int
text:
  description: The generated text.
  returned: success
  type: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.llmops.baremetal.plugins.module_utils.openai_probe import ProbeError, probe


def main():
    module = AnsibleModule(
        argument_spec=dict(
            url=dict(type='str', required=True),
            api_key=dict(type='str', required=True, no_log=True),
            model=dict(type='str', required=True),
            health_url=dict(type='str'),
            validate_certs=dict(type='bool', default=True),
            ca_path=dict(type='path'),
            timeout=dict(type='int', default=60),
            prompt=dict(type='str', default='Say OK.'),
            max_tokens=dict(type='int', default=8, no_log=False),
            max_time_to_first_token=dict(type='float', default=0, no_log=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    try:
        result = probe(p['url'], p['api_key'], p['model'], p['validate_certs'], p['ca_path'], p['timeout'], p['prompt'],
                       p['max_tokens'], p['health_url'])
    except ProbeError as exc:
        module.fail_json(msg=str(exc))
    limit = p['max_time_to_first_token']
    if limit and result['time_to_first_token_seconds'] > limit:
        module.fail_json(msg='model %s at %s: first token after %.3f s, more than %s s'
                         % (p['model'], p['url'], result['time_to_first_token_seconds'], limit), **result)
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
