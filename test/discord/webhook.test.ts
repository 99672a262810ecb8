// The deferred replies' HTTP client against a real local server: keep-alive, Discord's 429 and 5xx
// retried, other refusals an error naming Discord's message, multipart when there are files.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookError, webhookClient } from '../../src/discord/webhook.ts';
import { createLogger } from '../../src/log.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

describe('webhookClient', () => {
  let server: Server | undefined;
  const sockets = new Set<unknown>();
  const seen: { method: string; url: string; type: string | undefined; body: string }[] = [];
  afterEach(async () => {
    seen.length = 0;
    sockets.clear();
    await new Promise((r) => server?.close(r));
    server?.closeAllConnections();
  });
  const serve = async (answers: Handler[]) => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => {
        sockets.add(req.socket);
        seen.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], body });
        (answers.shift() ?? ((_q, _b, r) => r.writeHead(204).end()))(req, body, res);
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api`;
  };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_q, _b, res) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  it('sends JSON to /api/v10/…, reusing one connection', async () => {
    const api = await serve([]);
    const client = webhookClient(api, createLogger('silent'));
    await client.send('PATCH', '/webhooks/1/tok/messages/@original', { content: 'a' });
    await client.send('POST', '/webhooks/1/tok', { content: 'b' });
    await client.send('DELETE', '/webhooks/1/tok/messages/@original');
    client.close();
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'PATCH /api/v10/webhooks/1/tok/messages/@original', 'POST /api/v10/webhooks/1/tok', 'DELETE /api/v10/webhooks/1/tok/messages/@original',
    ]);
    expect(seen[0]!.type).toBe('application/json');
    expect(JSON.parse(seen[1]!.body)).toEqual({ content: 'b' });
    expect(sockets.size).toBe(1);
  });

  it('waits out a 429 (retry_after) and retries a 5xx, logging the rate limit', async () => {
    const api = await serve([json(429, { message: 'You are being rate limited.', retry_after: 0.05, global: false }), json(502, {}), json(200, { id: '1' })]);
    const lines: string[] = [];
    const client = webhookClient(api, createLogger('warn', (l) => lines.push(l)));
    const started = Date.now();
    await client.send('PATCH', '/webhooks/1/secret-t0ken/messages/@original', { content: 'a' });
    client.close();
    expect(seen).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(lines.join('\n')).toContain('rate limited by Discord');
    expect(lines.join('\n')).not.toContain('secret-t0ken'); // the token is a credential: never logged
  });

  it('a refusal is an error with Discord status, code and message (and no token); retries stop', async () => {
    const api = await serve([json(404, { message: 'Unknown Webhook', code: 10015 })]);
    const client = webhookClient(api, createLogger('silent'));
    const err = await client.send('POST', '/webhooks/1/secret-token', { content: 'a' }).catch((e: unknown) => e);
    client.close();
    expect(err).toBeInstanceOf(WebhookError);
    expect(err).toMatchObject({ status: 404, code: 10015 });
    expect(String((err as Error).message)).toContain('Unknown Webhook');
    expect(String((err as Error).message)).not.toContain('secret-token');
    expect(seen).toHaveLength(1);
  });

  it('gives up after the retries on a server that keeps failing', async () => {
    const api = await serve([json(500, {}), json(500, {}), json(500, {}), json(500, {})]);
    const client = webhookClient(api, createLogger('silent'), { retries: 3 });
    await expect(client.send('POST', '/webhooks/1/tok', { content: 'a' })).rejects.toMatchObject({ status: 500 });
    client.close();
    expect(seen).toHaveLength(4);
  });

  it('files go as multipart: payload_json and files[n]', async () => {
    const api = await serve([]);
    const client = webhookClient(api, createLogger('silent'));
    await client.send('POST', '/webhooks/1/tok', { content: 'with file' }, [{ name: 'a.csv', data: Buffer.from('x,y\n'), contentType: 'text/csv' }]);
    client.close();
    expect(seen[0]!.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]!.body).toContain('name="payload_json"');
    expect(seen[0]!.body).toContain('name="files[0]"; filename="a.csv"');
  });
});
