# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Probe an OpenAI-compatible endpoint (vLLM behind the ingress): the key is enforced, the model is
listed, and one short streamed completion gives the time to first token."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.urls import open_url


class ProbeError(Exception):
    pass


class Client(object):
    def __init__(self, validate_certs=True, ca_path=None, timeout=30):
        self.options = {'validate_certs': validate_certs, 'ca_path': ca_path, 'timeout': timeout}

    def open(self, url, api_key=None, body=None):
        headers = {'Accept': 'application/json'}
        if api_key:
            headers['Authorization'] = 'Bearer ' + api_key
        data = None
        if body is not None:
            headers['Content-Type'] = 'application/json'
            data = json.dumps(body)
        return open_url(url, data=data, headers=headers, method='POST' if body is not None else 'GET', **self.options)

    def status(self, url, api_key=None):
        """(HTTP status, body) of a GET; raises ProbeError when the server cannot be reached."""
        try:
            response = self.open(url, api_key)
            return response.getcode(), response.read()
        except HTTPError as exc:
            return exc.code, exc.read()
        except (URLError, OSError) as exc:
            raise ProbeError('%s: %s' % (url, getattr(exc, 'reason', exc)))


def _stream(client, base, api_key, model, prompt, max_tokens):
    request = {'model': model, 'messages': [{'role': 'user', 'content': prompt}], 'max_tokens': max_tokens,
               'stream': True}
    started = time.monotonic()
    first = None
    text = []
    try:
        response = client.open(base + '/v1/chat/completions', api_key, request)
        for raw in response:
            line = raw.decode('utf-8', 'replace').strip()
            if not line.startswith('data:'):
                continue
            payload = line[5:].strip()
            if payload == '[DONE]':
                break
            delta = ((json.loads(payload).get('choices') or [{}])[0].get('delta') or {}).get('content')
            if delta:
                first = first or time.monotonic()
                text.append(delta)
    except HTTPError as exc:
        raise ProbeError('streamed completion at %s answered %s' % (base, exc.code))
    except (URLError, OSError, ValueError) as exc:
        raise ProbeError('streamed completion at %s failed: %s' % (base, getattr(exc, 'reason', exc)))
    if first is None:
        raise ProbeError('streamed completion at %s returned no tokens' % base)
    return {'time_to_first_token_seconds': round(first - started, 3), 'total_seconds': round(time.monotonic() - started, 3),
            'chunks': len(text), 'text': ''.join(text)}


def probe(base_url, api_key, model, validate_certs=True, ca_path=None, timeout=30, prompt='Say OK.', max_tokens=8,
          health_url=None):
    """Returns a dict of findings; raises ProbeError with a message naming what failed."""
    client = Client(validate_certs, ca_path, timeout)
    base = base_url.rstrip('/')
    result = {'health_status': None}
    if health_url:
        result['health_status'] = client.status(health_url)[0]
        if result['health_status'] != 200:
            raise ProbeError('%s answered %s, not 200: the engine is not healthy' % (health_url, result['health_status']))

    result['unauthenticated_status'] = client.status(base + '/v1/models')[0]
    if result['unauthenticated_status'] != 401:
        raise ProbeError('%s/v1/models answered %s without an API key, not 401: the endpoint is open'
                         % (base, result['unauthenticated_status']))

    status, body = client.status(base + '/v1/models', api_key)
    if status != 200:
        raise ProbeError('%s/v1/models answered %s with the API key' % (base, status))
    try:
        result['models'] = [entry['id'] for entry in json.loads(body)['data']]
    except (ValueError, KeyError, TypeError):
        raise ProbeError('%s/v1/models did not return an OpenAI model list' % base)
    if model not in result['models']:
        raise ProbeError('model %s is not served at %s (served: %s)' % (model, base, ', '.join(result['models']) or 'none'))

    result.update(_stream(client, base, api_key, model, prompt, max_tokens))
    return result
