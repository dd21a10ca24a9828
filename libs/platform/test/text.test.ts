// Text the database cannot store, found and named; text() whose JSON Schema matches what it
// enforces; the methods a path answers to, read from the app's routers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import express, { Router } from 'express';
import { z } from 'zod';
import {
  allowedMethods,
  escapeUnstorable,
  findUnstorableText,
  parseInput,
  STORABLE_TEXT_PATTERN,
  text,
  unstorableText,
  ValidationError,
} from '../src/index';

test('NUL and unpaired surrogates are unstorable; paired surrogates and other text are fine', () => {
  for (const ok of ['', 'plain', 'emoji 😀 pair', 'é ü ß', '\u0001 control', '\ufffd'])
    assert.equal(unstorableText(ok), undefined, JSON.stringify(ok));
  assert.match(unstorableText('a\u0000b') ?? '', /U\+0000.*index 1/);
  for (const [bad, index] of [
    ['\ud800', 0],
    ['a\udc00', 1],
    ['😀\ud83d', 2],
    ['\ude00\ud83d', 0],
  ] as const)
    assert.match(unstorableText(bad) ?? '', new RegExp(`surrogate at index ${index}`), JSON.stringify(bad));
});

test('the first unstorable string in a structure is named by its path, keys included', () => {
  const body = {
    items: [
      { sku: 'OK', quantity: 1 },
      { sku: 'B\u0000D', quantity: 2 },
    ],
    note: 'a\ud800',
  };
  assert.equal(findUnstorableText(body)?.field, 'items.1.sku');
  assert.equal(findUnstorableText({ id: '\u0000' }, 'params')?.field, 'params.id');
  const key = findUnstorableText({ outer: { 'k\u0000': 1 } });
  assert.equal(key?.field, 'outer.k\\u0000');
  assert.match(key?.message ?? '', /^property name/);
  assert.equal(findUnstorableText({ fine: ['a', { b: 'c' }], n: 1, nil: null }), undefined);
  // Deep nesting is walked without recursion.
  let deep: unknown = 'x\u0000';
  for (let i = 0; i < 50_000; i++) deep = [deep];
  assert.equal(findUnstorableText(deep)?.field.split('.').length, 50_000);
  assert.equal(escapeUnstorable('a\u0000\ud800'), 'a\\u0000\\ud800');
});

test('parseInput refuses unstorable text before the schema, naming the field', () => {
  const schema = z.object({ orderId: z.string().max(200) });
  assert.throws(
    () => parseInput(schema, { orderId: 'x\u0000' }),
    (err: unknown) => err instanceof ValidationError && err.errors[0]?.field === 'orderId',
  );
  assert.deepEqual(parseInput(schema, { orderId: 'ord-1' }), { orderId: 'ord-1' });
});

test('text() counts code points and refuses blank text by the same whitespace trim() removes', () => {
  const reason = text({ max: 3, blank: false, trim: true });
  assert.equal(reason.parse('😀😀😀'), '😀😀😀', 'three code points (six UTF-16 units) fit in three');
  assert.equal(reason.parse(' 😀 '), '😀', 'checked as sent (as the document says), stored trimmed');
  assert.ok(!reason.safeParse('abcd').success);
  assert.ok(!reason.safeParse(' 😀😀 ').success, 'the length is of the text as sent');
  for (const blank of ['', ' ', '\t\n', '\u00a0', '\ufeff', '\u2028\u3000'])
    assert.ok(!reason.safeParse(blank).success, JSON.stringify(blank));
  const schema = z.toJSONSchema(reason, { io: 'input' });
  assert.equal(schema.maxLength, 3);
  assert.equal(schema.minLength, 1);
  const pattern = new RegExp(String(schema.pattern));
  for (const value of [' a ', 'x', '\u00a0b']) assert.ok(pattern.test(value), JSON.stringify(value));
  for (const value of [' ', '\ufeff\u3000', 'a\u0000'])
    assert.ok(!pattern.test(value), JSON.stringify(value));
  const free = z.toJSONSchema(text({ max: 10 }), { io: 'input' });
  assert.deepEqual([free.pattern, free.minLength], [STORABLE_TEXT_PATTERN, undefined]);
});

test('allowedMethods reads every router of the app, and only routes matching the path', () => {
  const app = express();
  const reads = Router();
  reads.get('/v1/things', (_req, res) => res.end());
  reads.get('/v1/things/:id', (_req, res) => res.end());
  const writes = Router();
  writes.post('/v1/things', (_req, res) => res.end());
  writes.put('/v1/things/:id', (_req, res) => res.end());
  app.use(reads, writes);
  app.delete('/v1/things/:id', (_req, res) => res.end());
  assert.deepEqual(allowedMethods(app, '/v1/things'), ['GET', 'HEAD', 'POST']);
  assert.deepEqual(allowedMethods(app, '/v1/things/42'), ['DELETE', 'GET', 'HEAD', 'PUT']);
  assert.deepEqual(allowedMethods(app, '/v1/other'), []);
  assert.deepEqual(allowedMethods(app, '/v1/things/%E0%A4%A'), []);
});
