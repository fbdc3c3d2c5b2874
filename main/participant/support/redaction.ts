/**
 * Redaction for the support bundle: what a bundle must never carry, however it got into a log line or a
 * setting. Two passes: fields whose NAME says secret lose their value, and text that LOOKS like a secret
 * (PEM private keys, invitation tokens, the headless UI's access token in a URL or cookie) is replaced.
 */

export const redacted = '[redacted]';

/** Field names whose values are secrets wherever they appear. */
const secretField = /(private.?key|client.?key|secret|password|passphrase|token|invitation|authorization|cookie)/i;

const secretText: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /accord1_[A-Za-z0-9_-]+/g,
  /([?&#]token=)[^&\s"']+/g,
  /(accord_token=)[^;\s"']+/g,
  /(Bearer )[A-Za-z0-9._~+/=-]+/g,
];

export function redactText(text: string): string {
  return secretText.reduce(
    (current, pattern) =>
      current.replace(pattern, (_match, prefix?: unknown) => (typeof prefix === 'string' ? prefix : '') + redacted),
    text,
  );
}

/** A deep copy with secret-named fields emptied and secret-looking text replaced. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, secretField.test(key) ? redacted : redactValue(field)]),
    );
  }
  return value;
}
