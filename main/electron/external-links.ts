/**
 * The pages the app may open in the user's browser: an allow-list of exact https prefixes, matched on the
 * parsed URL so that `https://allowed@evil.example/` or `https://allowed.evil.example/` never pass. Anything
 * else a page asks to open is refused. The UI links to no outside page today; a documentation link adds its
 * exact prefix here.
 */
export const externalLinkPrefixes: readonly string[] = [];

export function isAllowedExternalUrl(url: string, allowed: readonly string[] = externalLinkPrefixes): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false;
  const normalized = `${parsed.origin}${parsed.pathname}`;
  return allowed.some((prefix) => normalized.startsWith(prefix));
}
