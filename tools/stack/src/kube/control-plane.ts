// The opt-in Kubernetes profile's control plane: etcd, kube-apiserver and
// kube-controller-manager as local processes (no kubelet, no containers: Deployments get
// ReplicaSets and Pending Pods, and the HPA controller scales them). STACK-NOTES.md has the route
// and why each flag is here.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { StackConfig } from '../config';
import type { Component } from '../components/component';
import { kubeApi } from './api';
import { kubePart, kubePaths } from './setup';
import { KUBE_VERSIONS } from './tools';

export function etcd(config: StackConfig): Component {
  const client = `http://127.0.0.1:${config.ports.etcd}`;
  const peer = `http://127.0.0.1:${config.ports.etcdPeer}`;
  return kubePart(config, {
    name: 'etcd',
    command: ({ tools }) => {
      const dataDir = path.join(config.dataDir, 'etcd');
      mkdirSync(dataDir, { recursive: true });
      return {
        binary: tools.etcd,
        args: [
          '--name=stack',
          `--data-dir=${dataDir}`,
          `--listen-client-urls=${client}`,
          `--advertise-client-urls=${client}`,
          `--listen-peer-urls=${peer}`,
          `--initial-advertise-peer-urls=${peer}`,
          `--initial-cluster=stack=${peer}`,
          '--log-level=warn',
        ],
      };
    },
    probe: async () => {
      const res = await fetch(`${client}/health`, { signal: AbortSignal.timeout(2_000) });
      const body = (await res.json()) as { health?: string };
      if (body.health !== 'true') throw new Error(`etcd /health: ${JSON.stringify(body)}`);
    },
    addresses: () => ({ client }),
    version: async () => {
      const res = await fetch(`${client}/version`);
      return `etcd ${((await res.json()) as { etcdserver?: string }).etcdserver ?? 'unknown'}`;
    },
  });
}

export function kubeApiserver(config: StackConfig): Component {
  const paths = kubePaths(config);
  return kubePart(config, {
    name: 'kube-apiserver',
    command: ({ tools, pki }) => ({
      binary: tools.kubeApiserver,
      args: [
        `--etcd-servers=http://127.0.0.1:${config.ports.etcd}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${config.ports.kubeApiserver}`,
        `--tls-cert-file=${pki.apiserverCert}`,
        `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.ca}`,
        '--authorization-mode=Node,RBAC',
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.96.0.0/16',
        // No kube-proxy or Endpoints for 127.0.0.1: the kubernetes Service is not reconciled
        // (else a warning every 10 s) and aggregated APIs are reached by Service name.
        '--endpoint-reconciler-type=none',
        '--enable-aggregator-routing=false',
        `--requestheader-client-ca-file=${pki.frontProxyCa}`,
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        `--proxy-client-cert-file=${pki.frontProxyClientCert}`,
        `--proxy-client-key-file=${pki.frontProxyClientKey}`,
        '--v=0',
      ],
    }),
    probe: async ({ pki }) => {
      if (!(await kubeApi(paths.server, pki).get('/api/v1/namespaces/default'))) {
        throw new Error('namespace default not created yet');
      }
    },
    // Its graceful shutdown can hang for minutes (STACK-NOTES): a short deadline, then SIGKILL.
    stopGraceMs: 5_000,
    addresses: () => ({ api: paths.server, kubeconfig: paths.kubeconfig }),
    version: async ({ pki }) => {
      const v = await kubeApi(paths.server, pki).get<{ gitVersion?: string }>('/version');
      return `kube-apiserver ${v?.gitVersion ?? 'unknown'} (built ${KUBE_VERSIONS.kubernetes})`;
    },
  });
}

export function kubeControllerManager(config: StackConfig): Component {
  const paths = kubePaths(config);
  return kubePart(config, {
    name: 'kube-controller-manager',
    command: ({ tools, pki }) => ({
      binary: tools.kubeControllerManager,
      args: [
        // The admin identity: a local shortcut (a cluster gives each controller its own
        // service account with --use-service-account-credentials).
        `--kubeconfig=${paths.kubeconfig}`,
        `--authentication-kubeconfig=${paths.kubeconfig}`,
        `--authorization-kubeconfig=${paths.kubeconfig}`,
        // No serving port: two stacks on one machine would collide on the default 10257.
        '--secure-port=0',
        // Controllers that need nodes, a cloud or a pod network have nothing to act on here.
        '--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller',
        '--leader-elect=false',
        `--horizontal-pod-autoscaler-sync-period=${config.hpaSyncSeconds}s`,
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.ca}`,
        '--v=0',
      ],
    }),
    // The service-account controller has run once it made the default namespace's account.
    probe: async ({ pki }) => {
      if (!(await kubeApi(paths.server, pki).get('/api/v1/namespaces/default/serviceaccounts/default'))) {
        throw new Error('serviceaccount default/default not created yet');
      }
    },
    stopGraceMs: 5_000,
    addresses: () => ({ hpaSync: `${config.hpaSyncSeconds}s` }),
    version: async () => `kube-controller-manager ${KUBE_VERSIONS.kubernetes}`,
  });
}
