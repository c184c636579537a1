import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerSchema, gpuRequestSchema, ownerSchema } from '../../snapshot/schema.ts';
import { homeBindSources, homeUserNames } from '../owner/mount-sources.ts';
import { resolveOwner, type OwnerContext } from '../owner/owner.ts';
import { classifyContainer, DS01_INFRASTRUCTURE_NAMES } from './classify.ts';
import { gpuRequestOf } from './gpu-request.ts';
import type { InspectedContainer } from './inspected-container.ts';
import { parseDockerInspect } from './parse-inspect.ts';

const RUNS = 200;
const DS01 = { infrastructureNames: [...DS01_INFRASTRUCTURE_NAMES], infrastructureLabel: 'ds01.protected' };
const users = [
  { name: 'alice', uid: 1001 },
  { name: 'bob', uid: 1002 },
];
const ctx: OwnerContext = {
  users: { byUid: new Map(users.map((u) => [u.uid, u])), byName: new Map(users.map((u) => [u.name, u])) },
  mountOwners: { '/home/alice/x': 1001, '/home/bob/y': 1001 },
};

// Inspect-shaped values: each field is usually well-typed with random content, sometimes random JSON,
// so the per-field code is reached, not just the top-level guard.
const mostly = <T,>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: fc.jsonValue() });
const text = fc.oneof(fc.string(), fc.constant(null));
const path = fc.oneof(fc.constantFrom('/home/alice/x', '/home/bob/y', '/home/alice/../bob/y', 'home/alice', '/home', ''), fc.string());
const labelKey = fc.oneof(
  fc.constantFrom('ds01.user', 'aime.mlc.USER', 'devcontainer.local_folder', 'com.docker.compose.project.working_dir', 'ds01.monitoring', 'ds01.protected', '__proto__', 'constructor'),
  fc.string(),
);
const inspectLike = fc.record(
  {
    Id: mostly(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 64, maxLength: 64 })),
    Name: mostly(fc.oneof(fc.constantFrom('/x._.1001', '/vsc-a', '/ds01-grafana', '/y._.99999999999'), text)),
    Names: mostly(fc.array(fc.string())),
    Created: mostly(fc.oneof(fc.constantFrom('0001-01-01T00:00:00Z', '2025-03-11T17:01:05.751972661Z'), fc.integer(), fc.double(), text)),
    State: mostly(
      fc.oneof(
        fc.string(),
        fc.record({ Status: text, Pid: fc.oneof(fc.integer(), fc.double()), StartedAt: text, FinishedAt: text }, { requiredKeys: [] }),
      ),
    ),
    Config: mostly(
      fc.record(
        { Labels: fc.dictionary(labelKey, fc.oneof(path, fc.string())), Env: fc.array(fc.string()), Image: text },
        { requiredKeys: [] },
      ),
    ),
    HostConfig: mostly(
      fc.record(
        {
          DeviceRequests: fc.oneof(fc.array(fc.jsonValue()), fc.constant(null)),
          Runtime: fc.oneof(fc.constantFrom('nvidia', 'runc', 'nvidia-cdi'), text),
          Devices: fc.array(fc.record({ PathOnHost: text }, { requiredKeys: [] })),
          CgroupParent: text,
          NetworkMode: text,
        },
        { requiredKeys: [] },
      ),
    ),
    Mounts: mostly(
      fc.array(
        fc.record(
          { Type: fc.oneof(fc.constantFrom('bind', 'volume', 'BIND'), text), Source: path, Destination: text, RW: fc.boolean(), Mode: text },
          { requiredKeys: [] },
        ),
      ),
    ),
  },
  { requiredKeys: ['Id'] },
);

let parsedCount = 0;

function checkPipeline(input: unknown): void {
  const { containers, errors } = parseDockerInspect(input);
  parsedCount += containers.length;
  expect(Array.isArray(errors)).toBe(true);
  for (const c of containers) {
    const cls = classifyContainer(c, DS01);
    const full = { ...c, ...cls, owner: resolveOwner(c, ctx), gpu: gpuRequestOf(c) };
    // Every parsed container, however odd the input, must fit the snapshot contract.
    expect(containerSchema.safeParse(full).success).toBe(true);
  }
  expect(() => homeBindSources(containers)).not.toThrow();
  expect(() => homeUserNames(containers)).not.toThrow();
}

describe('property: nothing throws on random input', () => {
  it('parseDockerInspect + classify + owner + gpu on random JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (json) => checkPipeline(json)), { numRuns: RUNS });
  });

  it('the same on random inspect-shaped elements (single and arrays)', () => {
    parsedCount = 0;
    fc.assert(
      fc.property(fc.oneof(inspectLike, fc.array(inspectLike, { maxLength: 5 })), (value) => checkPipeline(value)),
      { numRuns: RUNS },
    );
    // The generator must reach the per-field code: a fair share of elements has to parse.
    expect(parsedCount).toBeGreaterThan(10);
  });

  it('resolveOwner / gpuRequestOf / classifyContainer on random JSON posing as a container', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (junk, junkMounts) => {
        const c = junk as unknown as InspectedContainer;
        expect(ownerSchema.safeParse(resolveOwner(c, ctx)).success).toBe(true);
        expect(ownerSchema.safeParse(resolveOwner(c, { ...ctx, mountOwners: junkMounts as Record<string, number> })).success).toBe(true);
        expect(ownerSchema.safeParse(resolveOwner(c, junkMounts as unknown as OwnerContext)).success).toBe(true);
        expect(gpuRequestSchema.safeParse(gpuRequestOf(c)).success).toBe(true);
        expect(() => classifyContainer(c, DS01)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
