# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vllm role against a real kube-apiserver and kube-scheduler, with model caches on this machine.

Seams: no kubelet, Deployment controller or PV controller runs here. Nodes report the status a
kubelet with the NVIDIA device plugin would (allocatable nvidia.com/gpu, GFD labels); the test binds
the model claims as the PV controller would, and creates a pod from the Deployment's own pod template
as the ReplicaSet controller would; the real scheduler then places it. The caches are `--local-dir`
layouts with a real config.json and safetensors files whose headers declare the weights; the weight
data is sparse, so a 140 GB model costs no disk."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import time

import pytest
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'lab'))
from seed_model_cache import write_cache  # noqa: E402  pylint: disable=wrong-import-position

P6000 = 'NVIDIA-RTX-PRO-6000-Blackwell-Max-Q-Workstation-Edition'
RTX4000 = 'NVIDIA-RTX-4000-SFF-Ada-Generation'
NS = 'llmops-v'
API_KEY = 'sk-llmops-' + 'k' * 24
ROUTER_KEY = 'sk-router-' + 'r' * 24
COMMIT = 'c' * 40
LLAMA_70B = {'architectures': ['LlamaForCausalLM'], 'num_hidden_layers': 80, 'num_attention_heads': 64,
             'num_key_value_heads': 8, 'hidden_size': 8192}
LLAMA_8B = {'architectures': ['LlamaForCausalLM'], 'num_hidden_layers': 32, 'num_attention_heads': 32,
            'num_key_value_heads': 8, 'hidden_size': 4096}
NODES = {
    'lab-gpu-p6000': {'nvidia.com/gpu.product': P6000, 'nvidia.com/gpu.memory': '97887', 'nvidia.com/gpu.count': '1'},
    'lab-gpu-rtx4000': {'nvidia.com/gpu.product': RTX4000, 'nvidia.com/gpu.memory': '20475', 'nvidia.com/gpu.count': '1'},
    'lab-cpu': {},
}
PLAY = '''
- name: Serve models
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: llmops.baremetal.vllm
      vars: %s
'''


@pytest.fixture(scope='module')
def lab(control_plane, crds, tmp_path_factory):
    kubernetes = pytest.importorskip('kubernetes')
    control_plane.start_scheduler()
    client = kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig)
    core, apps = kubernetes.client.CoreV1Api(client), kubernetes.client.AppsV1Api(client)
    try:  # gpu_node_config (or k3s) makes it; another test may already have
        kubernetes.client.NodeV1Api(client).create_runtime_class(
            {'apiVersion': 'node.k8s.io/v1', 'kind': 'RuntimeClass', 'metadata': {'name': 'nvidia'}, 'handler': 'nvidia'})
    except kubernetes.client.exceptions.ApiException as exc:
        if exc.status != 409:
            raise
    now = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
    for name, labels in NODES.items():
        core.create_node({'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': name, 'labels': dict(labels)}})
        # What the node lifecycle controller and the device plugin would leave: Ready, untainted, GPUs advertised.
        taints = [{'key': 'nvidia.com/gpu', 'value': 'present', 'effect': 'NoSchedule'}] if labels else []
        core.patch_node(name, {'spec': {'taints': taints}})
        capacity = {'cpu': '32', 'memory': '256Gi', 'pods': '110'}
        if labels:
            capacity['nvidia.com/gpu'] = '1'
        core.patch_node_status(name, {'status': {'capacity': capacity, 'allocatable': capacity, 'conditions': [
            {'type': 'Ready', 'status': 'True', 'reason': 'KubeletReady', 'lastHeartbeatTime': now, 'lastTransitionTime': now}]}})
    core.create_namespace({'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': NS}})
    share = tmp_path_factory.mktemp('export')
    yield {'core': core, 'apps': apps, 'policy': kubernetes.client.PolicyV1Api(client), 'share': share,
           'plane': control_plane, 'custom': kubernetes.client.CustomObjectsApi(client),
           'networking': kubernetes.client.NetworkingV1Api(client)}
    for name in NODES:
        core.delete_node(name)


def add_model(lab, name, config, weight_bytes, access_modes=('ReadWriteMany',)):
    write_cache(str(lab['share'] / NS / name), config, weight_bytes, COMMIT)
    core = lab['core']
    core.create_persistent_volume({'apiVersion': 'v1', 'kind': 'PersistentVolume', 'metadata': {'name': 'pv-' + name},
                                   'spec': {'capacity': {'storage': '200Gi'}, 'accessModes': list(access_modes),
                                            'storageClassName': 'llmops-nfs',
                                            'claimRef': {'namespace': NS, 'name': 'model-' + name},
                                            'csi': {'driver': 'nfs.csi.k8s.io', 'volumeHandle': name}}})
    core.create_namespaced_persistent_volume_claim(NS, {
        'apiVersion': 'v1', 'kind': 'PersistentVolumeClaim', 'metadata': {'name': 'model-' + name},
        'spec': {'accessModes': list(access_modes), 'storageClassName': 'llmops-nfs', 'volumeName': 'pv-' + name,
                 'resources': {'requests': {'storage': '200Gi'}}}})
    # What the PV controller does once it matched them.
    claim = core.read_namespaced_persistent_volume_claim('model-' + name, NS)
    core.patch_persistent_volume('pv-' + name, {'spec': {'claimRef': {'uid': claim.metadata.uid}}})
    core.patch_namespaced_persistent_volume_claim('model-' + name, NS, {'metadata': {'annotations': {
        'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes'}}})
    core.patch_persistent_volume_status('pv-' + name, {'status': {'phase': 'Bound'}})
    core.patch_namespaced_persistent_volume_claim_status('model-' + name, NS, {'status': {
        'phase': 'Bound', 'accessModes': list(access_modes), 'capacity': {'storage': '200Gi'}}})


def model(name, product=None, **settings):
    # tensor_parallel_size, replicas, max_num_seqs and gpu_memory_utilization are left to the role's defaults.
    spec = {'name': name, 'served_model_name': 'llmops/' + name, 'gpu_product': product, 'max_model_len': 8192,
            'cpu': 1, 'memory': '4Gi', 'shm_size': '1Gi'}
    spec.update(settings)
    return spec


def run_role(ansible, lab, models, **extra):
    variables = {'vllm_kubeconfig': lab['plane'].kubeconfig, 'vllm_namespace': NS, 'vllm_cache_namespace': NS,
                 'vllm_cache_share': str(lab['share']), 'vllm_cache_storage_host': 'localhost',
                 'vllm_cache_storage_become': False, 'vllm_api_key': API_KEY, 'vllm_models': models,
                 'vllm_ingress_domain': 'llm.example.test'}
    variables.update(extra)
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=PLAY % json.dumps(variables))
    return result.returncode, ' '.join((result.stdout + result.stderr).split())


def schedule_from_template(lab, deployment, name, drop_tolerations=False):
    """Create a pod from the Deployment's template, as its ReplicaSet would, and wait for the scheduler."""
    core = lab['core']
    template = lab['apps'].read_namespaced_deployment(deployment, NS).spec.template
    spec = core.api_client.sanitize_for_serialization(template.spec)
    if drop_tolerations:
        spec.pop('tolerations', None)
        spec.pop('nodeSelector', None)
        spec['containers'][0]['resources'] = {}
    core.create_namespaced_pod(NS, {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': name}, 'spec': spec})
    deadline = time.time() + 30
    while time.time() < deadline:
        pod = core.read_namespaced_pod(name, NS)
        if pod.spec.node_name:
            return pod.spec.node_name
        time.sleep(0.5)
    return [c.message for c in pod.status.conditions or []]


@pytest.fixture(scope='module')
def served(ansible_module, lab):
    add_model(lab, 'llama-70b-awq', LLAMA_70B, 39_800_000_000)
    add_model(lab, 'llama-8b', LLAMA_8B, 16_060_000_000)
    models = [model('llama-70b-awq', P6000, max_model_len=32768, forward_auth_url='http://auth.llmops.svc:8080/verify'),
              model('llama-8b', RTX4000, gpu_memory_utilization=0.95,
                    autoscaling={'min_replicas': 1, 'max_replicas': 3, 'queue_target': 4})]
    router = {'vllm_router_enabled': True, 'vllm_router_master_key': ROUTER_KEY}
    first = run_role(ansible_module, lab, models, **router)
    second = run_role(ansible_module, lab, models, **router)
    return first, second


def test_good_configuration_applies_then_changes_nothing(served):
    (rc, output), (rc2, output2) = served
    assert rc == 0, output
    assert API_KEY not in output and ROUTER_KEY not in output
    assert rc2 == 0 and 'changed=0' in output2, output2


def test_deployment_carries_the_load_bearing_fields(served, lab):
    deployment = lab['apps'].read_namespaced_deployment('vllm-llama-70b-awq', NS)
    pod = deployment.spec.template.spec
    container = pod.containers[0]
    assert pod.runtime_class_name == 'nvidia'
    assert pod.node_selector == {'nvidia.com/gpu.product': P6000}
    assert [(t.key, t.operator, t.effect) for t in pod.tolerations] == [('nvidia.com/gpu', 'Exists', 'NoSchedule')]
    assert container.image == 'docker.io/vllm/vllm-openai:v0.31.0'
    assert container.resources.limits['nvidia.com/gpu'] == '1'
    args = container.args
    assert args[0] == '/models'
    for flag, value in (('--served-model-name', 'llmops/llama-70b-awq'), ('--max-model-len', '32768'),
                        ('--max-num-seqs', '16'), ('--gpu-memory-utilization', '0.92'), ('--tensor-parallel-size', '1'),
                        ('--shutdown-timeout', '120')):
        assert args[args.index(flag) + 1] == value
    env = {e.name: e for e in container.env}
    assert env['HF_HUB_OFFLINE'].value == '1'
    assert env['VLLM_API_KEY'].value_from.secret_key_ref.name == 'vllm-api-key'
    mounts = {m.mount_path: m for m in container.volume_mounts}
    assert mounts['/models'].read_only
    volumes = {v.name: v for v in pod.volumes}
    assert volumes['model'].persistent_volume_claim.claim_name == 'model-llama-70b-awq'
    assert volumes['model'].persistent_volume_claim.read_only
    assert volumes['shm'].empty_dir.medium == 'Memory'
    # 39.8 GB at 250 MiB/s + 300 s warm-up = 452 s: 46 probes of 10 s.
    assert container.startup_probe.failure_threshold == 46 and container.startup_probe.http_get.path == '/health'
    assert container.liveness_probe.http_get.path == '/health' and container.readiness_probe.http_get.path == '/health'
    assert container.lifecycle.pre_stop.sleep.seconds == 15
    assert pod.termination_grace_period_seconds > 15 + 120
    # One GPU of that product exists and this model needs it: no surge.
    assert deployment.spec.strategy.rolling_update.max_surge == 0
    assert deployment.spec.strategy.rolling_update.max_unavailable == 1
    assert lab['core'].read_namespaced_service('vllm-llama-70b-awq', NS).spec.ports[0].port == 8000
    assert lab['policy'].read_namespaced_pod_disruption_budget('vllm-llama-70b-awq', NS).spec.max_unavailable == 1


def test_vllm_pods_land_only_on_their_gpu_product(served, lab):
    assert schedule_from_template(lab, 'vllm-llama-70b-awq', 'pod-70b') == 'lab-gpu-p6000'
    assert schedule_from_template(lab, 'vllm-llama-8b', 'pod-8b') == 'lab-gpu-rtx4000'


def test_pod_without_the_toleration_never_lands_on_a_gpu_node(served, lab):
    assert schedule_from_template(lab, 'vllm-llama-8b', 'plain-pod', drop_tolerations=True) == 'lab-cpu'


GUARDRAILS = [
    ('unquantized-70b', LLAMA_70B, 141_100_000_000, {'gpu_product': P6000},
     'model unquantized-70b does not fit: 131.4 GiB of weights + 1.5 GiB overhead leave -45.0 GiB of 87.9 GiB usable'),
    ('replicated-rwo', LLAMA_8B, 16_060_000_000, {'gpu_product': P6000, 'replicas': 2, 'access_modes': ['ReadWriteOnce']},
     'claim %s/model-replicated-rwo has access modes ["ReadWriteOnce"]; 2 replicas' % NS),
    ('no-such-gpu', LLAMA_8B, 16_060_000_000, {'gpu_product': 'NVIDIA-L40S'},
     'no node carries nvidia.com/gpu.product=NVIDIA-L40S'),
    ('short-ingress-timeout', LLAMA_8B, 16_060_000_000, {'gpu_product': RTX4000, 'extra': {
        'vllm_max_generation_seconds': 1800, 'vllm_ingress_write_timeout_seconds': 600}},
     "Traefik's response timeout (600 s, traefik_config_write_timeout_seconds) must be 0 or at least the longest "
     'generation (vllm_max_generation_seconds 1800 s)'),
    ('two-gpus-one-node', LLAMA_8B, 16_060_000_000, {'gpu_product': RTX4000, 'tensor_parallel_size': 2},
     'needs 2 GPU(s) of product %s on one node, but the nodes lab-gpu-rtx4000 offer at most 1' % RTX4000),
]


@pytest.mark.parametrize('name, config, weights, settings, message', GUARDRAILS, ids=[g[0] for g in GUARDRAILS])
def test_guardrail_refuses_before_applying(ansible, lab, name, config, weights, settings, message):
    settings = dict(settings)
    add_model(lab, name, config, weights, settings.pop('access_modes', ('ReadWriteMany',)))
    extra = settings.pop('extra', {})
    rc, output = run_role(ansible, lab, [model(name, settings.pop('gpu_product'), **settings)], **extra)
    assert rc != 0
    assert message in output, output
    assert 'Apply each model' not in output
    assert lab['apps'].list_namespaced_deployment(NS, field_selector='metadata.name=vllm-' + name).items == []


def test_incomplete_cache_is_refused(ansible, lab):
    add_model(lab, 'half-downloaded', LLAMA_8B, 16_060_000_000)
    os.remove(str(lab['share'] / NS / 'half-downloaded' / 'model.safetensors'))
    rc, output = run_role(ansible, lab, [model('half-downloaded', RTX4000)])
    assert rc != 0
    assert 'the cache in %s/%s/half-downloaded is incomplete (model.safetensors)' % (lab['share'], NS) in output, output


def test_latest_tag_is_refused(ansible, lab):
    rc, output = run_role(ansible, lab, [model('llama-8b', RTX4000)], vllm_image='docker.io/vllm/vllm-openai:latest')
    assert rc != 0
    assert "vllm_image must name an exact tag or digest, not latest (got 'docker.io/vllm/vllm-openai:latest')" in output, output


def test_kv_cache_warning_gives_the_numbers(ansible, lab, served):
    rc, output = run_role(ansible, lab, [model('llama-70b-awq', P6000, max_model_len=131072, max_num_seqs=64,
                                               forward_auth_url='http://auth.llmops.svc:8080/verify')])
    assert rc == 0, output
    assert 'WARNING model llama-70b-awq: the KV cache holds about 161804 tokens, that is 1 sequence(s) of max_model_len 131072' in output, output


def test_ingress_routes_only_v1_with_tls_auth_and_long_timeouts(served, lab):
    ingress = lab['networking'].read_namespaced_ingress('vllm-llama-70b-awq', NS)
    annotations = ingress.metadata.annotations
    assert annotations['cert-manager.io/cluster-issuer'] == 'llmops-issuer'
    assert annotations['traefik.ingress.kubernetes.io/router.middlewares'] == NS + '-vllm-llama-70b-awq-auth@kubernetescrd'
    assert ingress.spec.ingress_class_name == 'traefik'
    assert ingress.spec.tls[0].hosts == ['llama-70b-awq.llm.example.test']
    paths = ingress.spec.rules[0].http.paths
    assert [(p.path, p.path_type, p.backend.service.name) for p in paths] == [('/v1', 'Prefix', 'vllm-llama-70b-awq')]
    custom = lab['custom']
    auth = custom.get_namespaced_custom_object('traefik.io', 'v1alpha1', NS, 'middlewares', 'vllm-llama-70b-awq-auth')
    assert auth['spec']['forwardAuth'] == {'address': 'http://auth.llmops.svc:8080/verify', 'trustForwardHeader': False,
                                           'authResponseHeaders': ['X-Tenant-Id']}
    transport = custom.get_namespaced_custom_object('traefik.io', 'v1alpha1', NS, 'serverstransports', 'vllm-llama-70b-awq')
    assert transport['spec']['forwardingTimeouts']['responseHeaderTimeout'] == '600s'
    service = lab['core'].read_namespaced_service('vllm-llama-70b-awq', NS)
    assert service.metadata.annotations['traefik.ingress.kubernetes.io/service.serverstransport'] == \
        NS + '-vllm-llama-70b-awq@kubernetescrd'
    # The model without forward auth gets no middleware.
    assert 'traefik.ingress.kubernetes.io/router.middlewares' not in \
        lab['networking'].read_namespaced_ingress('vllm-llama-8b', NS).metadata.annotations


def test_autoscaling_on_queue_depth_with_keda(served, lab):
    scaled = lab['custom'].get_namespaced_custom_object('keda.sh', 'v1alpha1', NS, 'scaledobjects', 'vllm-llama-8b')
    spec = scaled['spec']
    assert (spec['minReplicaCount'], spec['maxReplicaCount']) == (1, 3)
    trigger = spec['triggers'][0]
    assert trigger['type'] == 'prometheus' and trigger['metadata']['threshold'] == '4'
    assert trigger['metadata']['query'] == 'sum(vllm:num_requests_waiting{namespace="%s",model_name="llmops/llama-8b"})' % NS
    behavior = spec['advanced']['horizontalPodAutoscalerConfig']['behavior']
    assert behavior['scaleUp']['stabilizationWindowSeconds'] == 0
    assert behavior['scaleDown']['stabilizationWindowSeconds'] == 600
    # KEDA owns the replica count of an autoscaled model; the fixed one keeps its own.
    assert lab['apps'].read_namespaced_deployment('vllm-llama-8b', NS).spec.replicas == 1
    # Up to 3 replicas on the one RTX 4000 node: the shared claim must be RWX, and there is no spare GPU to surge.
    assert lab['apps'].read_namespaced_deployment('vllm-llama-8b', NS).spec.strategy.rolling_update.max_surge == 0


def test_metrics_alerts_and_dashboard(served, lab):
    custom = lab['custom']
    monitor = custom.get_namespaced_custom_object('monitoring.coreos.com', 'v1', NS, 'servicemonitors', 'vllm-llama-8b')
    assert monitor['metadata']['labels']['release'] == 'kube-prometheus-stack'
    assert monitor['spec']['endpoints'] == [{'port': 'http', 'path': '/metrics', 'interval': '15s'}]
    rules = custom.get_namespaced_custom_object('monitoring.coreos.com', 'v1', NS, 'prometheusrules', 'vllm')
    alerts = {rule['alert']: rule for rule in rules['spec']['groups'][0]['rules']}
    assert sorted(alerts) == ['VLLMDown', 'VLLMKVCacheNearlyFull', 'VLLMRequestsQueued', 'VLLMSlowRequests',
                              'VLLMSlowTimeToFirstToken']
    assert 'vllm:kv_cache_usage_perc' in alerts['VLLMKVCacheNearlyFull']['expr']
    assert 'gpu_cache_usage_perc' not in json.dumps(rules)
    assert alerts['VLLMDown']['annotations']['summary'] == 'vLLM pod {{ $labels.pod }} is not answering /metrics'
    dashboard = json.loads(lab['core'].read_namespaced_config_map('vllm-dashboard', NS).data['vllm.json'])
    exprs = [panel['targets'][0]['expr'] for panel in dashboard['panels']]
    assert any('vllm:num_requests_waiting' in expr for expr in exprs) and len(exprs) == 8


def test_litellm_router_routes_every_model_by_served_name(served, lab):
    config = yaml.safe_load(lab['core'].read_namespaced_config_map('litellm', NS).data['config.yaml'])
    routes = {entry['model_name']: entry['litellm_params'] for entry in config['model_list']}
    assert routes['llmops/llama-8b'] == {'model': 'hosted_vllm/llmops/llama-8b', 'api_base': 'http://vllm-llama-8b.%s.svc:8000/v1' % NS,
                                         'api_key': 'os.environ/VLLM_API_KEY'}
    assert set(routes) == {'llmops/llama-70b-awq', 'llmops/llama-8b'}
    assert config['general_settings'] == {'master_key': 'os.environ/LITELLM_MASTER_KEY'}
    deployment = lab['apps'].read_namespaced_deployment('litellm', NS)
    assert deployment.spec.template.spec.containers[0].image == 'ghcr.io/berriai/litellm:v1.83.10-stable'
    ingress = lab['networking'].read_namespaced_ingress('litellm', NS)
    assert ingress.spec.rules[0].host == 'llm.llm.example.test' and ingress.spec.rules[0].http.paths[0].path == '/v1'


def test_removed_settings_leave_the_cluster(ansible, served, lab):
    models = [model('llama-70b-awq', P6000, max_model_len=32768)]
    rc, output = run_role(ansible, lab, models)
    assert rc == 0, output
    ingress = lab['networking'].read_namespaced_ingress('vllm-llama-70b-awq', NS)
    assert 'traefik.ingress.kubernetes.io/router.middlewares' not in (ingress.metadata.annotations or {})
    rc, output = run_role(ansible, lab, models, vllm_ingress_enabled=False)
    assert rc == 0, output
    service = lab['core'].read_namespaced_service('vllm-llama-70b-awq', NS)
    assert 'traefik.ingress.kubernetes.io/service.serverstransport' not in (service.metadata.annotations or {})
