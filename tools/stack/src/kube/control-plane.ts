// The opt-in Kubernetes profile's control plane: etcd, kube-apiserver and
// kube-controller-manager as local processes (no kubelet, no containers: Deployments get
// ReplicaSets and Pending Pods, and the HPA controller scales them). STACK-NOTES.md has the route
// and why each flag is here.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { StackConfig } from '../config';
import type { Component } from '../components/component';
import { runningPid, startDetached, stopByPidFile, waitUntil } from '../processes';
import { kubeApi } from './api';
import { ensurePki, writeKubeconfig, type Pki } from './pki';
import { ensureKubeTools, KUBE_VERSIONS, type KubeTools } from './tools';

export interface KubePaths {
  dir: string;
  pkiDir: string;
  kubeconfig: string;
  server: string;
}

export function kubePaths(config: StackConfig): KubePaths {
  const dir = path.join(config.dir, 'kube');
  return {
    dir,
    pkiDir: path.join(dir, 'pki'),
    kubeconfig: path.join(dir, 'admin.kubeconfig'),
    server: `https://127.0.0.1:${config.ports.kubeApiserver}`,
  };
}

const builds = new Map<string, Promise<KubeTools>>();
/** One build per cache for all the profile's parts (`up` installs them side by side). */
export function kubeTools(config: StackConfig): Promise<KubeTools> {
  let build = builds.get(config.cacheDir);
  if (!build) builds.set(config.cacheDir, (build = ensureKubeTools(config.cacheDir)));
  return build;
}

export type KubeSetup = { tools: KubeTools; pki: Pki; paths: KubePaths };
const setups = new Map<string, Promise<KubeSetup>>();

/** The tools and certificates every part of the profile starts from, made once per stack. */
export function kubeSetup(config: StackConfig): Promise<KubeSetup> {
  let setup = setups.get(config.dir);
  if (!setup) {
    setup = (async () => {
      const paths = kubePaths(config);
      const [tools, pki] = await Promise.all([kubeTools(config), ensurePki(paths.pkiDir)]);
      writeKubeconfig(paths.kubeconfig, pki, paths.server);
      return { tools, pki, paths };
    })();
    setups.set(config.dir, setup);
  }
  return setup;
}

export function etcd(config: StackConfig): Component {
  const name = 'etcd';
  const client = `http://127.0.0.1:${config.ports.etcd}`;
  const peer = `http://127.0.0.1:${config.ports.etcdPeer}`;
  let binary = '';
  const health = async () => {
    const res = await fetch(`${client}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { health?: string };
    if (body.health !== 'true') throw new Error(`etcd /health: ${JSON.stringify(body)}`);
  };
  return {
    name,
    async install() {
      binary = (await kubeSetup(config)).tools.etcd;
    },
    running: async () => runningPid(config.runDir, name),
    async start() {
      const dataDir = path.join(config.dataDir, 'etcd');
      mkdirSync(dataDir, { recursive: true });
      startDetached({
        name,
        runDir: config.runDir,
        logDir: config.logDir,
        command: binary,
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
      });
    },
    async ready(timeoutMs) {
      await waitUntil('etcd', health, { timeoutMs, logFile: this.logFile(), pid: await this.running() });
    },
    stop: () => stopByPidFile(config.runDir, name),
    addresses: () => ({ client }),
    async version() {
      const res = await fetch(`${client}/version`);
      return `etcd ${((await res.json()) as { etcdserver?: string }).etcdserver ?? 'unknown'}`;
    },
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}

export function kubeApiserver(config: StackConfig): Component {
  const name = 'kube-apiserver';
  const paths = kubePaths(config);
  let setup: KubeSetup | undefined;
  const api = () => kubeApi(paths.server, setup!.pki);
  return {
    name,
    async install() {
      setup = await kubeSetup(config);
    },
    running: async () => runningPid(config.runDir, name),
    async start() {
      const { tools, pki } = setup!;
      startDetached({
        name,
        runDir: config.runDir,
        logDir: config.logDir,
        command: tools.kubeApiserver,
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
      });
    },
    async ready(timeoutMs) {
      await waitUntil(
        'kube-apiserver',
        async () => {
          const ns = await api().get('/api/v1/namespaces/default');
          if (!ns) throw new Error('namespace default not created yet');
        },
        { timeoutMs, logFile: this.logFile(), pid: await this.running() },
      );
    },
    // Its graceful shutdown can hang for minutes (STACK-NOTES): a short deadline, then SIGKILL.
    stop: () => stopByPidFile(config.runDir, name, 5_000),
    addresses: () => ({ api: paths.server, kubeconfig: paths.kubeconfig }),
    async version() {
      const v = await api().get<{ gitVersion?: string }>('/version');
      return `kube-apiserver ${v?.gitVersion ?? 'unknown'} (built ${KUBE_VERSIONS.kubernetes})`;
    },
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}

export function kubeControllerManager(config: StackConfig): Component {
  const name = 'kube-controller-manager';
  const paths = kubePaths(config);
  let setup: KubeSetup | undefined;
  return {
    name,
    async install() {
      setup = await kubeSetup(config);
    },
    running: async () => runningPid(config.runDir, name),
    async start() {
      const { tools, pki } = setup!;
      startDetached({
        name,
        runDir: config.runDir,
        logDir: config.logDir,
        command: tools.kubeControllerManager,
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
      });
    },
    async ready(timeoutMs) {
      const api = kubeApi(paths.server, setup!.pki);
      // The service-account controller has run once it made the default namespace's account.
      await waitUntil(
        'kube-controller-manager',
        async () => {
          if (!(await api.get('/api/v1/namespaces/default/serviceaccounts/default'))) {
            throw new Error('serviceaccount default/default not created yet');
          }
        },
        { timeoutMs, logFile: this.logFile(), pid: await this.running() },
      );
    },
    stop: () => stopByPidFile(config.runDir, name, 5_000),
    addresses: () => ({ hpaSync: `${config.hpaSyncSeconds}s` }),
    version: async () => `kube-controller-manager ${KUBE_VERSIONS.kubernetes}`,
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}
