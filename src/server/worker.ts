// The Workers entry module (wrangler.toml `main`). workerd accepts only handlers and classes as its exports, so this
// module exports the fetch/scheduled handler and the HostWriter Durable Object; everything else is in worker-service.ts.
export { default, HostWriter } from './worker-service.ts';
