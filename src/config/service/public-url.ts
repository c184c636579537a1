// The service's public base URL (`public_url:` in gpuwarden.yaml, GPUWARDEN_PUBLIC_URL on Workers): where people
// reach the web view, so that a sign-in link minted by an admin is a whole URL they can click.

/** The problem with a public base URL, or null when it is an http(s) URL without query or fragment. */
export function publicUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an http(s) URL such as https://gpu.example.org';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http(s) URL, not ${url.protocol}`;
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return 'must not have a query, fragment or user name';
  return null;
}

/** The base URL as links are built on it: origin and path, trailing slashes dropped (call publicUrlProblem first). */
export function normalisePublicUrl(text: string): string {
  const url = new URL(text);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
