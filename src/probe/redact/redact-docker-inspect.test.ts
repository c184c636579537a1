import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDockerInspect } from '../docker/parse-inspect.ts';
import { DEFAULT_REDACTION } from './redact-argv.ts';
import { redactDockerInspect } from './redact-docker-inspect.ts';

const REAL = JSON.parse(readFileSync(new URL('../../../test/fixtures/captures/ds01-h100-mig/docker-inspect.json', import.meta.url), 'utf8')) as unknown[];

describe('redactDockerInspect', () => {
  it('masks secrets in Env, Cmd, Entrypoint and Args and keeps everything else', () => {
    const c = {
      Id: 'a'.repeat(64),
      Args: ['train.py', '--hf_token', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
      Config: {
        Env: ['WANDB_API_KEY=0123abcd', 'NVIDIA_VISIBLE_DEVICES=all', 'PATH=/usr/bin', 'DATABASE_URL=postgres://u:pw@db/x'],
        Cmd: ['python', 'train.py', '--db-password', 'hunter2'],
        Entrypoint: null,
        Labels: { 'ds01.user': 'alice' },
      },
    };
    expect(redactDockerInspect([c], DEFAULT_REDACTION)).toEqual([{
      Id: 'a'.repeat(64),
      Args: ['train.py', '--hf_token', '***'],
      Config: {
        Env: ['WANDB_API_KEY=***', 'NVIDIA_VISIBLE_DEVICES=all', 'PATH=/usr/bin', 'DATABASE_URL=postgres://u:***@db/x'],
        Cmd: ['python', 'train.py', '--db-password', '***'],
        Entrypoint: null,
        Labels: { 'ds01.user': 'alice' },
      },
    }]);
  });

  it('leaves a real capture without secrets as it was, and what the probe parses from it unchanged', () => {
    expect(redactDockerInspect(REAL, DEFAULT_REDACTION)).toEqual(REAL);
    expect(parseDockerInspect(redactDockerInspect(REAL, DEFAULT_REDACTION))).toEqual(parseDockerInspect(REAL));
  });

  it('passes odd shapes through untouched', () => {
    for (const odd of [null, 'x', {}, [1, null, { Config: 'x' }, { Args: [1, 2] }]]) expect(redactDockerInspect(odd, DEFAULT_REDACTION)).toEqual(odd);
  });
});
