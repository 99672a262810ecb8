// Ed25519 signing as Discord does it, for tests and benchmarks that POST to the HTTP endpoint.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface Signer { hex: string; privateKey: KeyObject; headers(body: string | Buffer, timestamp?: number): Record<string, string> }

export function signer(): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The raw 32-byte key is the tail of the SPKI DER encoding.
  const hex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return {
    hex, privateKey,
    headers(body, timestamp = Math.floor(Date.now() / 1000)) {
      const ts = String(timestamp);
      const signature = sign(null, Buffer.concat([Buffer.from(ts), Buffer.from(body)]), privateKey).toString('hex');
      return { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts };
    },
  };
}
