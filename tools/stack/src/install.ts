// First-run installs into the tool cache (outside git): Go binaries through the Go module
// proxy, Kafka's jars through Maven Central. Each install is keyed by version, so a cached
// tool is reused and a version bump installs beside it.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileAsync } from './processes';

/** Runs a command, printing a heartbeat with elapsed time so long builds show progress. */
export async function runWithProgress(
  label: string,
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  const started = Date.now();
  console.log(`  ${label} ...`);
  const timer = setInterval(() => {
    console.log(`  ${label}: still working (${Math.round((Date.now() - started) / 1000)}s)`);
  }, 15_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', (err) => reject(new Error(`${label}: cannot run ${command}: ${err.message}`)));
      child.on('exit', (code) => {
        if (code === 0) resolve();
        else
          reject(new Error(`${label} failed (exit ${code}):\n${output.split('\n').slice(-30).join('\n')}`));
      });
    });
  } finally {
    clearInterval(timer);
  }
  console.log(`  ${label}: done in ${Math.round((Date.now() - started) / 1000)}s`);
}

/**
 * Makes `dir` once: `build` fills a scratch directory, which is renamed to `dir` when it is done,
 * so an interrupted build never leaves half a tool. Skipped while `dir/<marker>` exists.
 */
export async function buildOnce(
  dir: string,
  marker: string,
  build: (scratch: string) => Promise<void>,
): Promise<void> {
  if (existsSync(path.join(dir, marker))) return;
  const scratch = `${dir}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  await build(scratch);
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
}

/** `go install module@version` into `<cache>/go/<name>-<version>/`; returns the binary path. */
export async function ensureGoBinary(
  cacheDir: string,
  name: string,
  module: string,
  version: string,
): Promise<string> {
  const dir = path.join(cacheDir, 'go', `${name}-${version}`);
  await buildOnce(dir, name, (scratch) =>
    runWithProgress(
      `building ${name} ${version} (go install, first run only)`,
      'go',
      ['install', `${module}@${version}`],
      {
        env: { GOBIN: scratch, GOFLAGS: '-trimpath' },
      },
    ),
  );
  return path.join(dir, name);
}

/**
 * A module's source in the Go module cache (read-only: copy it before building in it). Asked from
 * `cwd`, a scratch directory outside any module, so the download touches no go.mod.
 */
export async function goModuleDir(module: string, version: string, cwd: string): Promise<string> {
  const { stdout } = await execFileAsync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    cwd,
    maxBuffer: 10 * 1024 * 1024,
  });
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${module}@${version} gave no directory: ${stdout}`);
  return dir;
}

/** A writable copy of a module's source at `<scratch>/src`, for builds that write into their tree. */
export async function writableModuleCopy(module: string, version: string, scratch: string): Promise<string> {
  const src = path.join(scratch, 'src');
  cpSync(await goModuleDir(module, version, scratch), src, { recursive: true });
  // The module cache is read-only.
  await execFileAsync('chmod', ['-R', 'u+w', src]);
  return src;
}

/** Kafka's broker, tools and a log4j binding, resolved from Maven Central into one folder of jars. */
export async function ensureKafkaJars(cacheDir: string, version: string): Promise<string> {
  const dir = path.join(cacheDir, 'kafka', version);
  const libs = path.join(dir, 'libs');
  const marker = path.join(dir, '.complete');
  if (existsSync(marker)) return libs;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'pom.xml'), kafkaPom(version));
  rmSync(libs, { recursive: true, force: true });
  await runWithProgress(
    `fetching Apache Kafka ${version} jars (Maven, first run only)`,
    'mvn',
    ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`],
    { cwd: dir },
  );
  writeFileSync(marker, new Date().toISOString());
  return libs;
}

function kafkaPom(version: string): string {
  const dep = (g: string, a: string, v: string) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.order-platform</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', version)}
    ${dep('org.apache.kafka', 'kafka-tools', version)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', '2.24.3')}
    ${dep('org.apache.logging.log4j', 'log4j-core', '2.24.3')}
  </dependencies>
</project>
`;
}
