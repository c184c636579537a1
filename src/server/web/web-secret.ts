// Random secrets of the web view (session ids, CSRF tokens, sign-in link keys): 32 random bytes as base64url.
// Only their SHA-256 reaches the store (CSRF tokens excepted: they are checked against the session row).

/** The shape of a secret this module makes: 43 base64url characters (32 bytes). */
export const WEB_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes (Web Crypto: Node and workerd) as unpadded base64url. */
export function newWebSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Whether two secrets are equal, in time that depends only on their length (CSRF token check). */
export function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
