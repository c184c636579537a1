// The render functions on view models built from the real DS01 MIG capture (no store, no app).
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../../../probe/build-snapshot.ts';
import { readCaptureDir } from '../../../probe/capture-dir.ts';
import type { HostSnapshot } from '../../../snapshot/schema.ts';
import { usageRows } from '../../../usage/rows.ts';
import { SEED_MIG_CAPTURE } from '../../../../test/support/seed-web-store.ts';
import { gpuModels, type HostDetailModel } from '../models/host-detail.ts';
import type { UserModel } from '../models/users.ts';
import { accessibilityProblems } from '../web-test-app.test-support.ts';
import { page as layoutPage } from '../layout.ts';
import { renderHostDetail } from './host-detail.ts';
import { renderHosts } from './hosts.ts';
import { renderOverview } from './overview.ts';
import { relativeWords, timeAgo } from './parts.ts';
import { renderUser } from './user.ts';

const NOW = '2026-11-25T17:18:00.000Z';
let mig: HostSnapshot;
beforeAll(async () => {
  mig = buildSnapshot(await readCaptureDir(SEED_MIG_CAPTURE), DEFAULT_BUILD_OPTIONS);
});

const str = async (h: unknown): Promise<string> => String(await h);
const page = async (body: unknown): Promise<string> => str(layoutPage({ title: 't', viewer: { kind: 'admin', name: 'root' }, csrfToken: 'x', ownHeading: true, body: await (body as Promise<never>) }));

function hostModel(over: Partial<HostDetailModel> = {}): HostDetailModel {
  const idle = Object.fromEntries(mig.containers.map((c, i) => [c.id, i * 600]));
  return {
    now: NOW, live: true, host: mig.host, lastSeenAt: '2026-11-25T17:17:54.000Z', up: true, snapshotTakenAt: mig.takenAt, sourceErrors: mig.errors,
    gpus: gpuModels(mig, usageRows(mig, { idleSByContainer: idle })), untrackedProcesses: 1, alerts: [], ...over,
  };
}

/** The cells of the table rows whose first cell (th) starts with `label`, row by row, tags removed. */
function rowsOfSlot(html: string, label: string): string[] {
  const body = html.slice(html.indexOf(`${label} (`) - 40);
  const rows = body.split('<tr>').slice(1);
  const out: string[] = [];
  for (const [i, r] of rows.entries()) {
    if (i > 0 && r.includes('<th scope="row"')) break;
    out.push(r.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
  }
  return out;
}

describe('the host page on the real MIG capture', () => {
  it('lists each MIG instance of GPU 0 with who uses it: two people on 0:0, and daemon\'s host process flagged untracked', async () => {
    const html = await str(renderHostDetail(hostModel()));
    expect(html).toContain('GPU 0: NVIDIA H100 80GB HBM3 (MIG on)');
    const slot00 = rowsOfSlot(html, '0:0');
    expect(slot00).toHaveLength(3);
    expect(slot00[0]).toContain('0:0 (3g.40gb)');
    expect(slot00[0]).toMatch(/gwe2e31671-compose man 1\.24 GiB not reported \(MIG\)/);
    expect(slot00[1]).toMatch(/gwe2e31671-ds01 h\.baker@hertie-school\.lan 2\.24 GiB/);
    expect(slot00[2]).toMatch(/untracked host processes daemon 7\.31 GiB not reported \(MIG\) not tracked 0\.43/);
    expect(rowsOfSlot(html, '0:3').map((r) => r.split(' ').find((w) => w.startsWith('gwe2e')))).toEqual(['gwe2e31671-unowned', 'gwe2e31671-devc']);
    expect(html).toContain('<a href="/ui/users/h.baker%40hertie-school.lan">h.baker@hertie-school.lan</a>');
    expect(html).toContain('1 GPU process runs outside any container');
  });

  it('says how long each container has been idle, and what is free', async () => {
    const html = await str(renderHostDetail(hostModel()));
    // The model gives the nth container n × 10 min of idleness: gwe2e31671-aime is the ninth (index 8).
    expect(rowsOfSlot(html, '0:1')[1]).toBe('gwe2e31671-aime sys 1.24 GiB not reported (MIG) 1 h 20 min 0.29');
    const free = hostModel();
    const slots = free.gpus?.[0]?.slots ?? [];
    (slots[3] as { uses: unknown[] }).uses = [];
    expect(rowsOfSlot(await str(renderHostDetail(free)), '0:3')[0]).toMatch(/0:3 \(1g\.10gb\) 9 MiB of 9\.75 GiB free/);
  });

  it('is accessible: headings in order, captions, scoped header cells, no script', async () => {
    expect(accessibilityProblems(await page(renderHostDetail(hostModel())))).toEqual([]);
  });

  it('without a kept snapshot (Workers) says live detail is not available instead of showing nothing', async () => {
    const html = await str(renderHostDetail(hostModel({ live: false, gpus: null, snapshotTakenAt: null, sourceErrors: null, untrackedProcesses: null })));
    expect(html).toContain('Live per-GPU detail is not available on this runtime');
    expect(html).toContain('No snapshot of this host is kept here.');
  });
});

describe('escaping and formatting', () => {
  it('escapes every value from a snapshot or the store (a hostile container or user name stays text)', async () => {
    const m = hostModel();
    const use = m.gpus?.[0]?.slots[0]?.uses[0];
    if (use === undefined) throw new Error('no use');
    use.container = '<script>alert(1)</script>';
    use.user = '"><img src=x onerror=alert(1)>';
    const html = await str(renderHostDetail(m));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('href="/ui/users/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"');
  });

  it('writes relative times in a <time> with the absolute UTC time as datetime and title', async () => {
    expect(await str(timeAgo('2026-11-25T15:48:00.000Z', NOW))).toBe('<time datetime="2026-11-25T15:48:00.000Z" title="Wed 2026-11-25 15:48 UTC">1 h 30 min ago</time>');
    expect(relativeWords('2026-11-25T17:17:45.000Z', NOW)).toBe('just now');
    expect(relativeWords('2026-11-25T17:38:00.000Z', NOW)).toBe('in 20 min');
    expect(await str(timeAgo(null, NOW))).toBe('never');
  });
});

describe('the hosts and overview pages', () => {
  it('hosts: up or silent in words, failed collectors named, counts formatted', async () => {
    const html = await str(renderHosts({
      now: NOW, live: true, silentAfterMs: 90_000,
      hosts: [
        { host: mig.host, lastSeenAt: '2026-11-25T17:17:54.000Z', up: true, snapshotTakenAt: mig.takenAt, sourceErrors: [], disabledSources: [], gpuCount: 1, migInstanceCount: 4, users: ['man'], firingAlerts: 0, pendingAlerts: 1 },
        { host: 'gpu03', lastSeenAt: '2026-11-25T16:16:30.000Z', up: false, snapshotTakenAt: null, sourceErrors: [{ source: 'docker', message: 'connect ENOENT' }], disabledSources: ['usage'], gpuCount: 2, migInstanceCount: 0, users: [], firingAlerts: 1, pendingAlerts: 0 },
      ],
    }));
    expect(html).toContain('silent when its probe has sent nothing for 1 min 30 s');
    expect(html).toContain('<span class="badge ok">up</span>');
    expect(html).toContain('<span class="badge bad">silent</span>');
    expect(html).toContain('1 (4 MIG instances)');
    expect(html).toContain('<li>docker: connect ENOENT</li>');
    expect(html).toContain('not read by choice: usage');
    expect(html).toContain('1 h 2 min ago');
    expect(accessibilityProblems(await page(renderHosts({ now: NOW, live: true, silentAfterMs: 1, hosts: [] })))).toEqual([]);
  });

  it('overview on Workers: counts from the store, and a note instead of who holds what', async () => {
    const html = await str(renderOverview({ now: NOW, live: false, hosts: { total: 2, silent: [], withSourceErrors: null }, alerts: { firing: 1, pending: 0 }, topUsers: null, idleHeld: null }));
    expect(html).toContain('2 hosts: 0 silent, source errors not known here.');
    expect(html).toContain('1 alert firing, 0 pending.');
    expect(html).toContain('Live per-GPU detail is not available on this runtime');
    expect(html.match(/Not known on this runtime\./g)).toHaveLength(2);
  });

  it('overview: over quota in words, idle holders with how long', async () => {
    const html = await str(renderOverview({
      now: NOW, live: true, hosts: { total: 3, silent: ['gpu03'], withSourceErrors: ['gpu03', 'gpu07'] }, alerts: { firing: 3, pending: 1 },
      topUsers: [{ user: 'alice', gpuEquivalents: 3, quota: 2 }, { user: 'bob', gpuEquivalents: 1 / 7, quota: null }],
      idleHeld: [{ host: 'gpu02', container: 'alice-notebook', user: 'alice', gpus: ['0', '1', '2'], gpuEquivalents: 3, idleS: 10_950 }],
    }));
    expect(html).toContain('3 hosts: 1 silent (<a href="/ui/hosts/gpu03">gpu03</a>), 2 with source errors (<a href="/ui/hosts/gpu03">gpu03</a>, <a href="/ui/hosts/gpu07">gpu07</a>).');
    expect(html).toContain('3 of 2 <span class="badge bad">over quota</span>');
    expect(html).toContain('0.14 (no quota)');
    expect(html).toMatch(/alice-notebook<\/th>.*<td>0, 1, 2<\/td><td>3<\/td><td>3 h 3 min<\/td>/);
    expect(html).toContain('idle for 10 min or more');
    expect(accessibilityProblems(await page(renderOverview({ now: NOW, live: true, hosts: { total: 0, silent: [], withSourceErrors: [] }, alerts: { firing: 0, pending: 0 }, topUsers: [], idleHeld: [] })))).toEqual([]);
  });
});

describe('a person\'s page', () => {
  const model = (rows: UserModel['rows']): UserModel => ({
    now: NOW, live: true, alerts: [], rows,
    summary: { user: 'man', gpuEquivalents: 3 / 7, quota: 2, overQuota: false, containers: 1, hosts: [mig.host], firingAlerts: 0, pendingAlerts: 0, fairShare: [{ host: mig.host, decayedGpuHours: 6.2, fairShareGpuHours: 2.875, ratio: 2.157, asOf: mig.takenAt }] },
  });

  it('shows their containers, GPU-eq of quota, fair share, and the chart section with the range marked', async () => {
    const rows = usageRows(mig).filter((r) => r.user === 'man');
    const html = await str(renderUser(model(rows), '7d', '<svg role="img" aria-label="usage"><title>usage</title></svg>'));
    expect(html).toContain('<h1>man</h1>');
    expect(html).toContain('0.43 of 2');
    expect(html).toContain('gwe2e31671-compose</th><td><a href="/ui/hosts/ds01-demo">ds01-demo</a></td><td>0:0</td>');
    expect(html).toContain('ds01-demo: 6.2 decayed GPU-hours, 2.16× an equal share (2.88) <span class="badge warn">above an equal share</span>');
    expect(html).toContain('<a href="?range=7d" aria-current="page">');
    expect(html).toContain('<figure><svg role="img" aria-label="usage"><title>usage</title></svg>');
    expect(accessibilityProblems(await page(renderUser(model(rows), '24h', null)))).toEqual([]);
  });

  it('without recorded history says so', async () => {
    const html = await str(renderUser(model([]), '24h', null));
    expect(html).toContain('Usage history is not recorded yet.');
    expect(html).toContain('man holds and uses no GPU now.');
    expect(html).not.toContain('<figure>');
  });
});
