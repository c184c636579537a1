import { describe, expect, it } from 'vitest';
import { containerTypeLimits } from './container-types.ts';
import { CONTAINER_TYPE_NAMES } from './schema.ts';
import { ds01Sources, inline, parseOk } from './test-support.ts';

describe('containerTypeLimits on the real DS01 file', () => {
  const c = parseOk(ds01Sources());

  it('reads the five types as shipped (idle / runtime / sigterm)', () => {
    const table = CONTAINER_TYPE_NAMES.map((t) => {
      const l = containerTypeLimits(c, t);
      return [t, l.idleTimeoutH, l.maxRuntimeH, l.sigtermGraceS, l.configured];
    });
    expect(table).toEqual([
      ['devcontainer', null, 168, 30, true],
      ['compose', 0.5, 72, 45, true],
      ['docker', 0.5, 48, 60, true],
      ['api', null, 24, 30, true],
      ['unknown', 0.25, 24, 30, true],
    ]);
  });

  it('has no hold-after-stop values (not in the file)', () => {
    expect(containerTypeLimits(c, 'unknown')).toMatchObject({ gpuHoldAfterStopH: null, containerHoldAfterStopH: null });
  });
});

describe('containerTypeLimits null semantics (DS01 §6)', () => {
  const nulls = parseOk(
    inline(
      'container_types:\n' +
        CONTAINER_TYPE_NAMES.map((t) => `  ${t}:\n    idle_timeout_h: null\n    max_runtime_h: null\n`).join('') +
        'policies:\n  sigterm_grace_s: 20\n',
    ),
  );
  const absent = parseOk(inline('groups:\n  student: {}\n'));

  it('idle null: devcontainer and api are exempt; compose, docker, unknown fall back to 0.5 h', () => {
    expect(CONTAINER_TYPE_NAMES.map((t) => containerTypeLimits(nulls, t).idleTimeoutH)).toEqual([null, 0.5, 0.5, null, 0.5]);
  });

  it('idle absent: the same (DS01 reads absent and null alike)', () => {
    expect(CONTAINER_TYPE_NAMES.map((t) => containerTypeLimits(absent, t).idleTimeoutH)).toEqual([null, 0.5, 0.5, null, 0.5]);
  });

  it('max runtime: null → 48 h, type absent → 24 h', () => {
    expect(containerTypeLimits(nulls, 'compose').maxRuntimeH).toBe(48);
    expect(containerTypeLimits(absent, 'compose').maxRuntimeH).toBe(24);
    expect(containerTypeLimits(absent, 'compose').configured).toBe(false);
  });

  it('sigterm grace falls back to policies.sigterm_grace_s, then 60 s', () => {
    expect(containerTypeLimits(nulls, 'docker').sigtermGraceS).toBe(20);
    expect(containerTypeLimits(absent, 'docker').sigtermGraceS).toBe(60);
  });

  it('a configured number is used as is, even for devcontainers', () => {
    const c = parseOk(inline('container_types:\n  devcontainer:\n    idle_timeout_h: 2\n    sigterm_grace_s: never\n  unknown:\n    container_hold_after_stop_h: 1\n    gpu_hold_after_stop_h: 0.1\n'));
    expect(containerTypeLimits(c, 'devcontainer')).toMatchObject({ idleTimeoutH: 2, sigtermGraceS: null, maxRuntimeH: 24 });
    expect(containerTypeLimits(c, 'unknown')).toMatchObject({ containerHoldAfterStopH: 1, gpuHoldAfterStopH: 0.1 });
  });

  it('a type written as null counts as absent', () => {
    const c = parseOk(inline('container_types:\n  api: null\n'));
    expect(containerTypeLimits(c, 'api')).toMatchObject({ configured: false, idleTimeoutH: null, maxRuntimeH: 24 });
  });
});
