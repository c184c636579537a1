import { expect, it } from 'vitest';
import { safeNextPath } from './safe-next.ts';

it('keeps same-site paths under /ui and refuses everything else', () => {
  expect(safeNextPath('/ui/alerts?state=firing')).toBe('/ui/alerts?state=firing');
  expect(safeNextPath('/ui')).toBe('/ui');
  for (const bad of [undefined, null, '', 'ui/x', '//evil.example', '/\\evil.example', 'https://evil.example/ui/', '/uix', '/ui/../metrics', '/ui/\t', `/ui/${'a'.repeat(2050)}`]) {
    expect(safeNextPath(bad)).toBe('/ui/');
  }
});
