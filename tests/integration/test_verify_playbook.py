# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/verify.yml's cluster part: a real kube-apiserver holds the model's Deployment (its status
written as the Deployment controller would), the cache is a real --local-dir layout on this machine,
and the endpoint is the TLS stand-in OpenAI server (seam: no GPU, so no vLLM behind the ingress)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import pytest

from openai_standin import StandIn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'unit'))
import hf_cache_builder as builder  # noqa: E402  pylint: disable=wrong-import-position

NS = 'llmops-verify'
KEY = 'sk-llmops-' + 'w' * 24
MODEL = 'tiny-chat'


@pytest.fixture(scope='module')
def deployment(control_plane):
    kubernetes = pytest.importorskip('kubernetes')
    client = kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig)
    core, apps = kubernetes.client.CoreV1Api(client), kubernetes.client.AppsV1Api(client)
    core.create_namespace({'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': NS}})
    labels = {'app.kubernetes.io/instance': 'tiny'}
    apps.create_namespaced_deployment(NS, {
        'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'vllm-tiny'},
        'spec': {'replicas': 1, 'selector': {'matchLabels': labels}, 'template': {
            'metadata': {'labels': labels},
            'spec': {'containers': [{'name': 'vllm', 'image': 'docker.io/vllm/vllm-openai:v0.31.0'}]}}}})
    return apps


def run_verify(ansible, control_plane, tmp_path, url, ca_path):
    variables = {'llmops_kubeconfig': control_plane.kubeconfig, 'verify_cluster_gpus': False, 'vllm_namespace': NS,
                 'vllm_api_key': KEY, 'model_cache_storage_host': 'localhost', 'model_cache_storage_become': False,
                 'model_cache_nfs_share': str(tmp_path), 'verify_urls': {'tiny': url}, 'verify_ca_path': ca_path,
                 'vllm_models': [{'name': 'tiny', 'served_model_name': MODEL, 'gpu_product': 'NVIDIA-L40S',
                                  'max_model_len': 4096}]}
    extra = tmp_path / 'vars.json'
    extra.write_text(json.dumps(variables))
    result = ansible('ansible-playbook', '-i', 'localhost,', '-c', 'local', 'playbooks/verify.yml', '-e', '@%s' % extra)
    return result.returncode, ' '.join((result.stdout + result.stderr).split())


def test_healthy_model_is_reported_with_its_time_to_first_token(ansible, control_plane, deployment, tmp_path):
    builder.build_local_dir(tmp_path / NS / 'tiny', builder.single_file_model())
    deployment.patch_namespaced_deployment_status('vllm-tiny', NS, {'status': {'replicas': 1, 'readyReplicas': 1}})
    with StandIn(tmp_path, KEY, MODEL) as standin:
        rc, output = run_verify(ansible, control_plane, tmp_path, standin.url, standin.ca_path)
    assert rc == 0, output
    assert 'tiny: cache complete, pods 1/1 ready, endpoint ok, first token after 0.' in output, output
    assert KEY not in output


def test_every_problem_is_named_in_one_report(ansible, control_plane, deployment, tmp_path):
    files = builder.sharded_model()
    del files['model-00002-of-00002.safetensors']
    builder.build_local_dir(tmp_path / NS / 'tiny', files)
    deployment.patch_namespaced_deployment_status('vllm-tiny', NS, {'status': {'replicas': 1, 'readyReplicas': 0}})
    with StandIn(tmp_path, KEY, MODEL) as standin:
        standin.behaviour.require_key = False
        rc, output = run_verify(ansible, control_plane, tmp_path, standin.url, standin.ca_path)
    assert rc != 0
    assert 'verify found problems: tiny: cache is incomplete; tiny: 0 of 1 pods ready; tiny: %s/v1/models answered 200 ' \
           'without an API key, not 401: the endpoint is open' % standin.url in output, output
