// STATE_URL errors stop start-up with a message naming the variable (own file: @keyv/postgres keeps
// one pool per process, and a failed connection must not disturb other tests' pool).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { openState } from '../../src/state/index.ts';

describe('STATE_URL', () => {
  it('memory: is the default', () => {
    expect(parseConfig({}).STATE_URL).toBe('memory:');
  });

  it('an unknown scheme is a configuration error', () => {
    expect(() => parseConfig({ STATE_URL: 'redis://x' })).toThrow(/STATE_URL: must be memory: or postgres/);
  });

  it('an unreachable PostgreSQL is a start-up error naming STATE_URL, without the password', async () => {
    const err = await openState('postgres://nobody:secret@localhost/none?host=/nonexistent-dir').catch((e: unknown) => e as Error);
    expect(String(err)).toMatch(/STATE_URL: cannot reach PostgreSQL/);
    expect(String(err)).not.toContain('secret');
    await expect(openState('redis://x')).rejects.toThrow(/STATE_URL: unsupported/);
  });
});
