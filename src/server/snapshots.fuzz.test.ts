// Fuzz POST /v1/snapshots with malformed and hostile bodies: every reply must be a 4xx JSON error, nothing may
// reach the core or the store, no prototype may change, and a valid request afterwards must still succeed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bearer, testApp, TOKENS, validSnapshot } from './test-support.ts';

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const BASE = validSnapshot() as unknown as JsonValue;

/** Every path into the valid snapshot (objects and arrays included), for mutation. */
function allPaths(value: JsonValue, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...allPaths(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...allPaths(v, [...prefix, k])]);
  }
  return [];
}
const PATHS = allPaths(BASE);

function setAt(root: JsonValue, path: Array<string | number>, replacement: JsonValue): JsonValue {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, JsonValue>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, JsonValue>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}

const kindOf = (v: JsonValue): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const at = (root: JsonValue, path: Array<string | number>): JsonValue =>
  path.reduce<JsonValue>((node, key) => (node as Record<string | number, JsonValue>)[key] as JsonValue, root);

/** A value of a different JSON type than the (non-null) one at the path, and not null: never valid there. */
const wrongTypeMutation = fc
  .tuple(fc.constantFrom(...PATHS), fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.string(), fc.array(fc.integer()), fc.dictionary(fc.string(), fc.integer())))
  .filter(([path, value]) => {
    const original = kindOf(at(BASE, path));
    const replacement = kindOf(value as JsonValue);
    return original !== 'null' && original !== replacement;
  })
  .map(([path, value]) => JSON.stringify(setAt(BASE, path, value as JsonValue)));

const deep = (levels: number, open: string, close: string): string => `${open.repeat(levels)}${close.repeat(levels)}`;
const deepNesting = fc.constantFrom(
  deep(10_000, '[', ']'),
  `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
  `{"schemaVersion":1,"gpus":${deep(10_000, '[', ']')}}`,
  JSON.stringify(validSnapshot()).replace('"labels":{', `"labels":{"deep":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)},`),
  deep(10_000, '[', ''),
);

/** Arrays longer than the schema allows. */
const oversizedArrays = fc.oneof(
  fc.integer({ min: 65, max: 80 }).map((n) => ({ ...validSnapshot(), gpus: Array.from({ length: n }, () => validSnapshot().gpus[0]) })),
  fc.integer({ min: 1001, max: 1010 }).map((n) => ({ ...validSnapshot(), errors: Array.from({ length: n }, () => ({ source: 'gpu', message: 'x' })) })),
  fc.integer({ min: 65, max: 70 }).map((n) => {
    const s = validSnapshot();
    const mig = { index: 0, uuid: null, profile: null, gpuInstanceId: null, computeInstanceId: null, memoryTotalMiB: null, memoryUsedMiB: null };
    return { ...s, gpus: [{ ...s.gpus[0], migInstances: Array.from({ length: n }, () => mig) }] };
  }),
).map((v) => JSON.stringify(v));

/** __proto__ / constructor keys on bodies that are otherwise invalid (a valid one is accepted, see snapshots.test). */
const protoBodies = fc.tuple(fc.jsonValue(), fc.constantFrom('__proto__', 'constructor', 'prototype')).map(([payload, key]) => {
  const { id: _id, ...withoutId } = validSnapshot();
  return JSON.stringify(withoutId).replace('{', `{"${key}":{"polluted":true,"prototype":{"polluted":true},"x":${JSON.stringify(payload)}},`);
});

const randomStrings = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));
const randomJson = fc.jsonValue().map((v) => JSON.stringify(v));
const wrongVersion = fc
  .oneof(fc.integer().filter((n) => n !== 1), fc.string(), fc.constant(null), fc.double())
  .map((v) => JSON.stringify({ ...validSnapshot(), schemaVersion: v }));
const otherHost = fc.constantFrom('ds02', 'ds01 ', 'DS01', 'ds011').map((host) => JSON.stringify(validSnapshot({ host })));

const hostileBody = fc.oneof(wrongTypeMutation, deepNesting, oversizedArrays, protoBodies, randomStrings, randomJson, wrongVersion, otherHost);

describe('POST /v1/snapshots fuzz', () => {
  it('answers every malformed or hostile body with a 4xx JSON error and stores nothing', async () => {
    const { app, store, core, logs } = testApp({ bodyLimitBytes: 256 * 1024 });
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        const res = await app.request('/v1/snapshots', { method: 'POST', body, headers: { ...bearer(TOKENS.ds01), 'content-type': 'application/json' } });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const reply = (await res.json()) as { error?: unknown; message?: unknown };
        expect(typeof reply.error).toBe('string');
        expect(typeof reply.message).toBe('string');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    expect(core.ingested).toEqual([]);
    expect(await store.listHosts()).toEqual([]);
    for (const host of ['ds01', 'ds02', 'DS01', 'ds011']) expect(await store.listSnapshots(host)).toEqual([]);
    expect(logs).toEqual([]);

    const ok = await app.request('/v1/snapshots', { method: 'POST', body: JSON.stringify(validSnapshot()), headers: bearer(TOKENS.ds01) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: true, alerts: [], actions: [] });
    expect(await store.listSnapshots('ds01')).toHaveLength(1);
  });

  it('answers random Authorization headers with 401 and never reads the body', async () => {
    const { app, core } = testApp();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string().map((s) => `Bearer ${s}`)), async (header) => {
        const headers: Record<string, string> = {};
        try {
          new Headers({ Authorization: header });
          headers.Authorization = header;
        } catch {
          // not a legal header value: send none
        }
        const res = await app.request('/v1/snapshots', { method: 'POST', body: JSON.stringify(validSnapshot()), headers });
        expect(res.status).toBe(401);
      }),
      { numRuns: 200 },
    );
    expect(core.ingested).toEqual([]);
  });
});
