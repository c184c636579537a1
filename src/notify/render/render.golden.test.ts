// Golden payloads: each message kind rendered and compared byte for byte with test/fixtures/notify/.
// Regenerate after an intended change: UPDATE_GOLDEN=1 npx vitest run src/notify/render/render.golden.test.ts
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenSamples, type GoldenKind } from '../test-support.ts';
import { renderMessage } from './render.ts';

const DIR = 'test/fixtures/notify';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * The fixture files of one kind: Slack and Teams JSON always; email text (subject first), HTML and the webhook
 * payload (Alertmanager's) except for the truncation case, which is about the chat cards' limits.
 */
function files(kind: GoldenKind): Record<string, string> {
  const { group, options } = goldenSamples()[kind];
  const { slack, email, teams, webhook } = renderMessage(group, options);
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  const out: Record<string, string> = { [`${kind}.slack.json`]: json(slack), [`${kind}.teams.json`]: json(teams) };
  if (kind !== 'truncated-60') {
    out[`${kind}.email.txt`] = `Subject: ${email.subject}\n\n${email.text}`;
    out[`${kind}.email.html`] = email.html;
    out[`${kind}.webhook.json`] = json(webhook);
  }
  return out;
}

const KINDS = Object.keys(goldenSamples()) as GoldenKind[];

/** Writes every fixture into `dir` (what UPDATE_GOLDEN=1 does to test/fixtures/notify/). */
function writeGolden(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (const kind of KINDS) {
    for (const [name, content] of Object.entries(files(kind))) {
      writeFileSync(join(dir, name), content);
      names.push(name);
    }
  }
  return names.sort();
}

describe('golden notification payloads', () => {
  if (UPDATE) {
    it('regenerates the fixtures (UPDATE_GOLDEN=1)', () => {
      expect(writeGolden(DIR).length).toBeGreaterThan(0);
    });
  }

  it.each(KINDS)('%s matches its fixtures', (kind) => {
    for (const [name, actual] of Object.entries(files(kind))) {
      const path = join(DIR, name);
      expect(existsSync(path), `${path} is missing: run UPDATE_GOLDEN=1 npx vitest run src/notify`).toBe(true);
      expect(actual, `${path} differs: check the change, then UPDATE_GOLDEN=1 npx vitest run src/notify`).toBe(readFileSync(path, 'utf8'));
    }
  });

  it('rendering is deterministic (the same group gives the same bytes twice)', () => {
    for (const kind of KINDS) expect(files(kind)).toEqual(files(kind));
  });

  it('regenerating into a scratch folder reproduces the fixture folder exactly: same files, same bytes, none stray', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'gpuwarden-golden-'));
    try {
      const names = writeGolden(scratch);
      expect(readdirSync(DIR).sort()).toEqual(names);
      for (const name of names) expect(readFileSync(join(scratch, name), 'utf8'), name).toBe(readFileSync(join(DIR, name), 'utf8'));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
