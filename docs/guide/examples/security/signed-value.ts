import { createSignedValue, decodeSignedValue } from '@tronada/web';

// Outside a handler (a link in an email, a token for another service), sign and check values
// yourself. The format is Tornado's, so Python and TypeScript services can share a secret.
export function makeToken(secret: string, userId: string): string {
  return createSignedValue(secret, 'reset', userId);
}

export function readToken(secret: string, token: string): string | null {
  const value = decodeSignedValue(secret, 'reset', token, { maxAgeDays: 1 });
  return value === null ? null : value.toString();
}
