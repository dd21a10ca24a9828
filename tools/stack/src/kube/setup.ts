// What every part of the Kubernetes profile starts from: where its files are, the binaries
// (built once per cache) and the certificates (made once per stack), and the one shape of a
// part: a process started detached from a command line, ready when its probe answers.
import path from 'node:path';
import type { StackConfig } from '../config';
import type { Component } from '../components/component';
import { runningPid, startDetached, stopByPidFile, waitUntil } from '../processes';
import { ensurePki, writeKubeconfig, type Pki } from './pki';
import { ensureKubeTools, type KubeTools } from './tools';

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

export interface KubeSetup {
  tools: KubeTools;
  pki: Pki;
  paths: KubePaths;
}
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

export interface KubePartSpec {
  name: string;
  /** The command line; may write the config files it names first. */
  command(setup: KubeSetup): Promise<{ binary: string; args: string[] }> | { binary: string; args: string[] };
  /** One readiness probe: resolves once the part answers a real request. */
  probe(setup: KubeSetup): Promise<void>;
  addresses(): Record<string, string>;
  version(setup: KubeSetup): Promise<string>;
  /** SIGTERM grace before SIGKILL (the API server's graceful shutdown can hang for minutes). */
  stopGraceMs?: number;
}

export function kubePart(config: StackConfig, spec: KubePartSpec): Component {
  const { name } = spec;
  const logFile = path.join(config.logDir, `${name}.log`);
  const setup = () => kubeSetup(config);
  return {
    name,
    install: async () => void (await setup()),
    running: async () => runningPid(config.runDir, name),
    async start() {
      const { binary, args } = await spec.command(await setup());
      startDetached({ name, runDir: config.runDir, logDir: config.logDir, command: binary, args });
    },
    async ready(timeoutMs) {
      const s = await setup();
      const pid = runningPid(config.runDir, name);
      await waitUntil(name, () => spec.probe(s), { timeoutMs, logFile, ...(pid ? { pid } : {}) });
    },
    stop: () => stopByPidFile(config.runDir, name, spec.stopGraceMs),
    addresses: () => spec.addresses(),
    version: async () => spec.version(await setup()),
    logFile: () => logFile,
  };
}
