// /proc/<pid>/stat parsing and process-tree CPU, against this machine's real /proc.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { CpuSampler, allStats, clockTicks, parseProcStat, treeCpuSeconds, treeOf } from '../src/cpu';

test('a stat line parses, even when the command name holds spaces and parentheses', () => {
  // Fields after comm: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
  const line =
    '4242 (node (my) worker) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 30 20 20 0 11 0 123 456 789';
  assert.deepEqual(parseProcStat(line), {
    pid: 4242,
    comm: 'node (my) worker',
    ppid: 17,
    selfTicks: 300,
    childTicks: 50,
  });
  assert.throws(() => parseProcStat('garbage'), /not a \/proc stat line/);
});

test('this process has a stat line and its own CPU time', () => {
  const stats = allStats();
  const self = stats.find((s) => s.pid === process.pid);
  assert.ok(self);
  assert.equal(self.ppid, process.ppid);
  assert.ok(clockTicks() > 0);
  assert.ok((treeCpuSeconds(process.pid, stats) ?? -1) >= 0);
  assert.equal(treeCpuSeconds(2 ** 22 + 12345, stats), undefined);
});

test('a tree includes children, and the sampler sees a busy child spend CPU', async () => {
  const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 800; while (Date.now() < end) {}'], {
    stdio: 'ignore',
  });
  try {
    assert.ok(treeOf(process.pid, allStats()).some((s) => s.pid === child.pid));
    const sampler = new CpuSampler();
    sampler.track('busy', child.pid!);
    sampler.start(100);
    await new Promise((resolve) => child.once('exit', resolve));
    const { cpuSeconds, windowSeconds } = sampler.stop();
    assert.ok(windowSeconds > 0);
    // Busy for most of its life; sampled every 100 ms, so some of it is always seen.
    assert.ok((cpuSeconds.busy ?? 0) > 0, `busy child used ${cpuSeconds.busy} s`);
  } finally {
    child.kill();
  }
});
