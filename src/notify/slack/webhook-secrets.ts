// The secret forms of a Slack webhook URL (to scrub from every error text) and the URL check before a send.

/** Percent-decoded, or the input when it is not valid percent-encoding. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The secret forms of a webhook URL: the whole URL, its path and query, and every path segment (but Slack's `services`) and query value of 6
 * characters or more (the token), each also percent-decoded. Duplicates removed.
 */
export function webhookSecrets(webhookUrl: string): string[] {
  const secrets = [webhookUrl, decoded(webhookUrl)];
  try {
    const url = new URL(webhookUrl);
    secrets.push(url.href, `${url.pathname}${url.search}`, decoded(url.pathname));
    const parts = [...url.pathname.split('/'), ...[...url.searchParams.values()].map(encodeURIComponent)];
    for (const part of parts.filter((p) => p.length >= 6 && p !== 'services')) secrets.push(part, decoded(part));
  } catch {
    // not a URL: the raw string is all there is to hide
  }
  return [...new Set(secrets)].filter((s) => s.length > 1);
}

/** Whether a webhook URL is an http(s) URL (checked before sending, never quoted). */
export function validWebhookUrl(webhookUrl: string): boolean {
  try {
    const url = new URL(webhookUrl);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
