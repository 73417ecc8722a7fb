# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""model_cache against a real kube-apiserver, with the export directory on this machine.

Seam: there is no internet and no kubelet here, so the download Job never runs. The test plays the
Job controller: it writes the Job's status (Complete or Failed) through the status subresource the
way the controller does. The cache itself is a real `hf download --local-dir` layout with real
safetensors files, read by model_cache_status as the storage host would."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'unit'))
import hf_cache_builder as builder  # noqa: E402  pylint: disable=wrong-import-position

REVISION = builder.COMMIT
TOKEN = 'hf_' + 'x' * 34

PLAY = '''
- name: Cache the models
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: llmops.baremetal.model_cache
      vars: %s
'''


@pytest.fixture(scope='module')
def kube(control_plane):
    kubernetes = pytest.importorskip('kubernetes')
    client = kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig)
    return kubernetes.client.CoreV1Api(client), kubernetes.client.BatchV1Api(client)


def run_role(ansible, control_plane, share, namespace, models, **extra):
    variables = {
        'model_cache_kubeconfig': control_plane.kubeconfig, 'model_cache_namespace': namespace,
        'model_cache_storage_host': 'localhost', 'model_cache_storage_become': False, 'model_cache_nfs_server': '10.10.0.10',
        'model_cache_nfs_share': str(share), 'model_cache_storage_class': 'llmops-nfs',
        'model_cache_uid': os.getuid(), 'model_cache_gid': os.getgid(), 'model_cache_poll_seconds': 1,
        'model_cache_models': models}
    variables.update(extra)
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=PLAY % json.dumps(variables))
    return result.returncode, result.stdout + result.stderr


def model(name):
    return {'name': name, 'repo': 'meta-llama/Tiny-' + name, 'revision': REVISION, 'size_gib': 1, 'gated': True}


def play_job_controller(batch, namespace, job, outcome, found):
    """Wait for the Job, then report it Complete or Failed the way the Job controller does."""
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            batch.read_namespaced_job(job, namespace)
            break
        except Exception:  # pylint: disable=broad-except
            time.sleep(0.5)
    else:
        return
    found.append(job)
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    if outcome == 'Complete':
        conditions = [{'type': 'SuccessCriteriaMet', 'status': 'True', 'lastTransitionTime': now},
                      {'type': 'Complete', 'status': 'True', 'lastTransitionTime': now}]
        status = {'startTime': now, 'completionTime': now, 'succeeded': 1, 'conditions': conditions}
    else:
        conditions = [{'type': 'FailureTarget', 'status': 'True', 'lastTransitionTime': now, 'reason': 'BackoffLimitExceeded',
                       'message': 'Job has reached the specified backoff limit'},
                      {'type': 'Failed', 'status': 'True', 'lastTransitionTime': now, 'reason': 'BackoffLimitExceeded',
                       'message': 'Job has reached the specified backoff limit'}]
        status = {'startTime': now, 'failed': 4, 'conditions': conditions}
    batch.patch_namespaced_job_status(job, namespace, {'status': status})


def job_name(name):
    return 'model-cache-%s-%s' % (name, REVISION[:10])


def test_complete_cache_skips_the_download(ansible, control_plane, kube, tmp_path):
    core, batch = kube
    builder.build_local_dir(tmp_path / 'llmops-a' / 'tiny', builder.sharded_model())
    rc, output = run_role(ansible, control_plane, tmp_path, 'llmops-a', [model('tiny')], model_cache_hf_token=TOKEN)
    assert rc == 0, output
    assert TOKEN not in output
    assert 'model tiny (meta-llama/Tiny-tiny@aaaaaaaaaa): complete, 4 files' in output, output
    assert batch.list_namespaced_job('llmops-a').items == []

    claim = core.read_namespaced_persistent_volume_claim('model-tiny', 'llmops-a')
    assert claim.spec.access_modes == ['ReadWriteMany'] and claim.spec.storage_class_name == 'llmops-nfs'
    volume = core.read_persistent_volume(claim.spec.volume_name)
    assert volume.spec.csi.driver == 'nfs.csi.k8s.io'
    assert volume.spec.csi.volume_attributes == {'server': '10.10.0.10', 'share': str(tmp_path / 'llmops-a' / 'tiny')}
    assert volume.spec.persistent_volume_reclaim_policy == 'Retain'
    secret = core.read_namespaced_secret('hf-token', 'llmops-a')
    assert set(secret.data) == {'token'}

    rc, output = run_role(ansible, control_plane, tmp_path, 'llmops-a', [model('tiny')], model_cache_hf_token=TOKEN)
    assert rc == 0 and 'changed=0' in output, output


def test_incomplete_cache_runs_the_download_then_fails_naming_the_files(ansible, control_plane, kube, tmp_path):
    core, batch = kube
    files = builder.sharded_model()
    del files['model-00002-of-00002.safetensors']
    builder.build_local_dir(tmp_path / 'llmops-b' / 'broken', files)
    found = []
    watcher = threading.Thread(target=play_job_controller, args=(batch, 'llmops-b', job_name('broken'), 'Complete', found))
    watcher.start()
    rc, output = run_role(ansible, control_plane, tmp_path, 'llmops-b', [model('broken')], model_cache_hf_token=TOKEN)
    watcher.join()
    assert found, output
    assert rc != 0, output
    text = ' '.join(output.split())
    assert 'is incomplete: missing: model-00002-of-00002.safetensors' in text, output

    job = batch.read_namespaced_job(job_name('broken'), 'llmops-b')
    container = job.spec.template.spec.containers[0]
    assert 'hf" download "$MODEL_REPO" --revision "$MODEL_REVISION" --local-dir /cache' in container.args[0]
    env = {item.name: item.value for item in container.env}
    assert env['MODEL_REPO'] == 'meta-llama/Tiny-broken' and env['MODEL_REVISION'] == REVISION
    assert job.spec.template.spec.security_context.run_as_non_root is True
    assert job.spec.template.spec.volumes[0].persistent_volume_claim.claim_name == 'model-broken'
    assert core.read_namespaced_persistent_volume_claim('model-broken', 'llmops-b')


def test_failed_download_is_reported_and_retried(ansible, control_plane, kube, tmp_path):
    batch = kube[1]
    found = []
    watcher = threading.Thread(target=play_job_controller, args=(batch, 'llmops-c', job_name('absent'), 'Failed', found))
    watcher.start()
    rc, output = run_role(ansible, control_plane, tmp_path, 'llmops-c', [model('absent')], model_cache_hf_token=TOKEN)
    watcher.join()
    assert rc != 0, output
    text = ' '.join(output.split())
    assert 'download Job llmops-c/%s failed (Job has reached the specified backoff limit)' % job_name('absent') in text, output
    first_uid = batch.read_namespaced_job(job_name('absent'), 'llmops-c').metadata.uid

    rc, output = run_role(ansible, control_plane, tmp_path, 'llmops-c', [model('absent')], model_cache_hf_token=TOKEN,
                          model_cache_timeout_seconds=3)
    assert rc != 0
    assert 'did not finish within 3 s' in ' '.join(output.split()), output
    assert batch.read_namespaced_job(job_name('absent'), 'llmops-c').metadata.uid != first_uid


def test_gated_model_without_token_is_refused(ansible, control_plane, tmp_path):
    rc, output = run_role(ansible, control_plane, tmp_path, 'llmops-d', [model('gated')])
    assert rc != 0
    assert 'a gated model needs model_cache_hf_token' in ' '.join(output.split()), output
