// The ramp chart's SVG is well-formed XML with the series drawn, whatever gaps the data has.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeXml, rampChartSvg } from '../src/chart';
import type { Bucket } from '../src/stats';

/** A small well-formedness check: one root, tags balanced, attributes quoted, text escaped. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const match of body.matchAll(tag)) {
    const between = body.slice(last, match.index);
    assert.doesNotMatch(between, /[<>]|&(?!(amp|lt|gt|quot|apos);)/, `stray markup before ${match[0]}`);
    last = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else {
      if (stack.length === 0) roots += 1;
      if (!selfClosing) stack.push(name!);
    }
  }
  assert.equal(body.slice(last).trim(), '', 'text after the root');
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'exactly one root element');
}

const bucket = (t: number, over: Partial<Bucket> = {}): Bucket => ({
  t,
  offered: 10,
  accepted: 10,
  completed: 9,
  placeP99Ms: 12,
  completionP99Ms: 800,
  ...over,
});

test('the chart is well-formed SVG with both panels and every series', () => {
  const buckets = [
    bucket(0, { completed: 0, completionP99Ms: Number.NaN }),
    ...Array.from({ length: 60 }, (_, i) => bucket(i + 1, { offered: 10 + i, placeP99Ms: 10 + i * 3 })),
    bucket(61, { offered: 0, accepted: 0, placeP99Ms: Number.NaN }),
  ];
  const svg = rampChartSvg(buckets, 'ramp <2 cores> & "idle"');
  assertWellFormed(svg);
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 5);
  for (const label of [
    'orders accepted/s',
    'sagas completed/s',
    'POST /v1/orders p99',
    'place→COMPLETED p99',
  ])
    assert.ok(svg.includes(label), label);
  assert.ok(svg.includes('ramp &lt;2 cores&gt; &amp; &quot;idle&quot;'));
  assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
});

test('an empty or single-bucket run still renders', () => {
  for (const buckets of [[], [bucket(0)]]) {
    const svg = rampChartSvg(buckets, 'short');
    assertWellFormed(svg);
    assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
  }
});

test('escapeXml escapes the five XML specials', () => {
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
});
