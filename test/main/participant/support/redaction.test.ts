import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redacted, redactText, redactValue } from '../../../../main/participant/support/redaction.ts';

describe('support bundle redaction', () => {
  it('replaces PEM private keys, invitation tokens and access tokens inside any text', () => {
    const key = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const text = `key ${key} then accord1_AbC-12_x and http://h/?a=1&token=xyz9 and cookie accord_token=q1; Bearer ey.J0`;
    const result = redactText(text);
    expect(result).toBe(
      `key ${redacted}\n then ${redacted} and http://h/?a=1&token=${redacted} and cookie accord_token=${redacted}; Bearer ${redacted}`,
    );
  });

  it('empties fields whose names say secret at any depth, and leaves the rest as it was', () => {
    const value = { name: 'site', nested: [{ clientKeyPem: 'k', invitation: 'i', apiToken: 't', rows: 3 }] };
    expect(redactValue(value)).toEqual({
      name: 'site',
      nested: [{ clientKeyPem: redacted, invitation: redacted, apiToken: redacted, rows: 3 }],
    });
    expect(value.nested[0]?.clientKeyPem).toBe('k');
  });
});
