import { it } from 'vitest';
import { runPack } from './support/pack.ts';
import { snapshot, proc, gpu, t } from './support/snapshot-factory.ts';
it('x', async () => {
  const snaps = [];
  for (let m = 0; m <= 70; m++) snaps.push(snapshot(t(m), { gpuProcesses: [proc(4242)] }));
  const r = await runPack(snaps);
  console.log(JSON.stringify(r.alerts.map(a => [a.rule, a.state, a.labels, a.stage]), null, 0));
  const s2 = [];
  for (let m = 0; m <= 10; m++) s2.push(snapshot(t(m), { gpus: [gpu(0, { temperatureC: m < 6 ? 87 : 93 })] }));
  const r2 = await runPack(s2);
  console.log(JSON.stringify(r2.alerts.map(a => [a.rule, a.state, a.labels, a.stage, a.severity]), null, 0));
});
