// killTree: a crash of one part, its whole process tree, found from the root pid (a pid file's).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { descendants, isRunning, killTree, sleep } from '../src/processes';

test('SIGKILLs the root and every process below it, and waits until they are gone', async () => {
  // A shell with two children of its own, like a server with its workers.
  const root = spawn('sh', ['-c', 'sleep 300 & sleep 300 & wait'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => root.once('exit', resolve));
  let below: number[] = [];
  for (let i = 0; i < 100 && below.length < 2; i++) {
    await sleep(50);
    below = descendants(root.pid!);
  }
  assert.equal(below.length, 2, 'the two sleeps are found below the shell');
  const killed = await killTree(root.pid!);
  assert.deepEqual([...killed].sort(), [root.pid!, ...below].sort());
  await exited;
  // Orphans may linger as zombies until init reaps them; none may still run.
  assert.ok(
    below.every((pid) => !isRunning(pid)),
    'no child survives its parent',
  );
});

test('a pid with no children is killed alone', async () => {
  const lone = spawn('sleep', ['300'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => lone.once('exit', resolve));
  assert.deepEqual(await killTree(lone.pid!), [lone.pid!]);
  await exited;
});
