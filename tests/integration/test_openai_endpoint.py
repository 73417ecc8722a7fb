# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""openai_endpoint against a stand-in OpenAI-compatible server over TLS on loopback (seam: no GPU,
so no vLLM; the stand-in speaks the same HTTP, auth and server-sent-events protocol)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from openai_standin import StandIn

KEY = 'sk-llmops-' + 'v' * 24
MODEL = 'llama-3.3-70b-instruct'
PLAY = '''
- name: Probe
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Check the endpoint
      llmops.baremetal.openai_endpoint: %s
      register: probe
    - name: Keep the result for the test
      ansible.builtin.copy:
        content: "{{ probe | to_json }}"
        dest: %s
        mode: "0600"
'''


@pytest.fixture
def standin(tmp_path):
    with StandIn(tmp_path, KEY, MODEL) as server:
        yield server


def run(ansible, tmp_path, **args):
    return probe(ansible, tmp_path, **args)[:2]


def probe(ansible, tmp_path, **args):
    saved = tmp_path / 'probe.json'
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=PLAY % (json.dumps(args), saved))
    data = json.loads(saved.read_text()) if saved.exists() else None
    return result.returncode, ' '.join((result.stdout + result.stderr).split()), data


def test_healthy_endpoint_reports_time_to_first_token(ansible, standin, tmp_path):
    standin.behaviour.first_token_delay = 0.3
    rc, output, data = probe(ansible, tmp_path, url=standin.url, api_key=KEY, model=MODEL, ca_path=standin.ca_path,
                             health_url=standin.url + '/health', max_time_to_first_token=5)
    assert rc == 0, output
    assert KEY not in output
    assert data['models'] == [MODEL] and data['unauthenticated_status'] == 401 and data['health_status'] == 200
    assert 0.3 <= data['time_to_first_token_seconds'] < 3 and data['text'] == 'OK.' and data['chunks'] == 3
    assert data['changed'] is False


def test_open_endpoint_is_reported(ansible, standin, tmp_path):
    standin.behaviour.require_key = False
    rc, output = run(ansible, tmp_path, url=standin.url, api_key=KEY, model=MODEL, ca_path=standin.ca_path)
    assert rc != 0
    assert '/v1/models answered 200 without an API key, not 401: the endpoint is open' in output, output


def test_unknown_model_wrong_key_and_slow_first_token(ansible, standin, tmp_path):
    rc, output = run(ansible, tmp_path, url=standin.url, api_key=KEY, model='other', ca_path=standin.ca_path)
    assert rc != 0 and 'model other is not served at %s (served: %s)' % (standin.url, MODEL) in output, output
    rc, output = run(ansible, tmp_path, url=standin.url, api_key='sk-wrong-key-0000000000', model=MODEL, ca_path=standin.ca_path)
    assert rc != 0 and '/v1/models answered 401 with the API key' in output, output
    standin.behaviour.first_token_delay = 1.2
    rc, output = run(ansible, tmp_path, url=standin.url, api_key=KEY, model=MODEL, ca_path=standin.ca_path,
                     max_time_to_first_token=0.5)
    assert rc != 0 and 'first token after 1.' in output and 'more than 0.5 s' in output, output


def test_untrusted_certificate_is_refused(ansible, standin, tmp_path):
    rc, output = run(ansible, tmp_path, url=standin.url, api_key=KEY, model=MODEL)
    assert rc != 0 and 'CERTIFICATE_VERIFY_FAILED' in output, output
