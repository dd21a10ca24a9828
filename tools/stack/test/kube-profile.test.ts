// The Kubernetes profile's pure parts: the go.mod rewrite that makes k8s.io/kubernetes buildable
// from the module proxy, and the adapter config taken from the values file operators install with.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { adapterConfig } from '../src/kube/metrics-pipeline';
import { publishedStagingModules } from '../src/kube/tools';

test('the staging replaces go and the staging modules pin to their published versions', () => {
  const goMod = [
    'module k8s.io/kubernetes',
    'require (',
    '\tgithub.com/spf13/cobra v1.8.1',
    '\tk8s.io/api v0.0.0',
    '\tk8s.io/client-go v0.0.0',
    ')',
    'replace (',
    '\tk8s.io/api => ./staging/src/k8s.io/api',
    '\tk8s.io/client-go => ./staging/src/k8s.io/client-go',
    '\tgithub.com/other/mod => github.com/fork/mod v1.0.0',
    ')',
  ].join('\n');
  assert.equal(
    publishedStagingModules(goMod, 'v1.31.4'),
    [
      'module k8s.io/kubernetes',
      'require (',
      '\tgithub.com/spf13/cobra v1.8.1',
      '\tk8s.io/api v0.31.4',
      '\tk8s.io/client-go v0.31.4',
      ')',
      'replace (',
      '\tgithub.com/other/mod => github.com/fork/mod v1.0.0',
      ')',
    ].join('\n'),
  );
});

test("the adapter serves the values file's external rules, and refuses a file without any", () => {
  const config = JSON.parse(adapterConfig()) as { externalRules: { name: { as: string } }[] };
  assert.deepEqual(
    config.externalRules.map((r) => r.name.as),
    ['temporal_task_queue_backlog'],
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'adapter-values-'));
  const empty = path.join(dir, 'values.yaml');
  writeFileSync(empty, 'rules:\n  default: false\n');
  assert.throws(() => adapterConfig(empty), /rules.external is empty/);
});
