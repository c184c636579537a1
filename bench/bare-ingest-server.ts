// The floor of bench:ingest: a bare Hono endpoint on @hono/node-server that only reads and parses the same body
// (UTF-8 decode + JSON.parse) and answers 200 with a small JSON reply, as gpuwarden's route does before its work.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/v1/snapshots', async (c) => {
  const body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer())) as { id?: unknown };
  return c.json({ accepted: typeof body.id === 'string', alerts: [], actions: [] }, 200);
});
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[2]) }, () => console.log('listening'));
