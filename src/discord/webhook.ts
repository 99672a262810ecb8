// The HTTP endpoint's deferred replies: PATCH/POST/DELETE on the interaction webhook, authorised by
// the token in the path. discord.js's REST client builds a rate-limit handler, an abort signal and a
// route hash for every new token (every interaction): 4–5 ms of CPU per reply, measured under the
// load bench. Here: one keep-alive agent, the body encoded once, Discord's 429 (retry_after) and 5xx
// retried like discord.js does (3 retries), other statuses an error naming Discord's message.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { APIVersion } from 'discord-api-types/v10';
import type { OutFile } from '../interactions/reply.ts';
import type { Logger } from '../log.ts';

/** Per attempt, as discord.js's default. */
export const WEBHOOK_TIMEOUT_MS = 15_000;
export const WEBHOOK_RETRIES = 3;
/** A 429 asking for a longer wait than this is not waited for (the reply is then logged as failed). */
const MAX_RETRY_AFTER_MS = 60_000;
// Discord asks for "DiscordBot ($url, $version)"; discord.js sends its own, this names the bot.
const USER_AGENT = `DiscordBot (liaison, 0.1.0) Node.js/${process.versions.node}`;

/** A refusal from Discord (4xx other than 429, or 5xx after the retries). */
export class WebhookError extends Error {
  constructor(readonly method: string, readonly route: string, readonly status: number, readonly code: number | undefined, message: string) {
    super(`${method} ${route.replace(/\/webhooks\/(\d+|[^/]+)\/[^/]+/, '/webhooks/$1/:token')}: ${status} ${message}`);
    this.name = 'WebhookError';
  }
}

/** JSON, or multipart/form-data (`payload_json` + `files[n]`) when there are files, as Discord takes them. */
export async function encodeBody(body: unknown, files: readonly OutFile[] | undefined): Promise<{ contentType: string; data: Buffer }> {
  if (!files?.length) return { contentType: 'application/json', data: Buffer.from(JSON.stringify(body)) };
  const form = new FormData();
  form.append('payload_json', JSON.stringify(body));
  files.forEach((f, i) => form.append(`files[${i}]`, new Blob([new Uint8Array(f.data)], { type: f.contentType ?? 'application/octet-stream' }), f.name));
  const encoded = new Response(form);
  return { contentType: encoded.headers.get('content-type') ?? 'multipart/form-data', data: Buffer.from(await encoded.arrayBuffer()) };
}

interface Answer { status: number; headers: IncomingMessage['headers']; text: string }

export interface WebhookClient {
  /** `route` as discord-api-types' Routes builds it (e.g. /webhooks/{app}/{token}/messages/@original). */
  send(method: 'POST' | 'PATCH' | 'DELETE', route: string, body?: unknown, files?: readonly OutFile[]): Promise<void>;
  close(): void;
}

export function webhookClient(api: string, log: Logger, opts: { timeoutMs?: number; retries?: number } = {}): WebhookClient {
  const base = new URL(api.replace(/\/+$/, '') + `/v${APIVersion}`);
  const secure = base.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const timeoutMs = opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const retries = opts.retries ?? WEBHOOK_RETRIES;

  const once = (method: string, path: string, headers: Record<string, string>, data: Buffer | undefined) =>
    new Promise<Answer>((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)({
        protocol: base.protocol, hostname: base.hostname, port: base.port || undefined, method, path, agent, headers,
      }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer from Discord within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.end(data);
    });

  return {
    async send(method, route, body, files) {
      const encoded = body === undefined ? undefined : await encodeBody(body, files);
      const headers: Record<string, string> = { 'User-Agent': USER_AGENT, 'Content-Length': String(encoded?.data.length ?? 0) };
      if (encoded) headers['Content-Type'] = encoded.contentType;
      const path = base.pathname + route;
      for (let attempt = 0; ; attempt++) {
        let answer: Answer;
        try {
          answer = await once(method, path, headers, encoded?.data);
        } catch (err) {
          // A keep-alive socket the server closed meanwhile, a reset or a timeout: retried as discord.js does.
          if (attempt < retries) continue;
          throw err;
        }
        if (answer.status >= 200 && answer.status < 300) return;
        const json = parse(answer.text);
        if (answer.status === 429 && attempt < retries) {
          const seconds = Number(json?.retry_after ?? answer.headers['retry-after'] ?? 1);
          const waitMs = Math.max(0, Number.isFinite(seconds) ? seconds * 1000 : 1000);
          if (waitMs <= MAX_RETRY_AFTER_MS) {
            log.warn('rate limited by Discord', { route: route.replace(/\/webhooks\/([^/]+)\/[^/]+/, '/webhooks/$1/:token'), method, retryAfter: waitMs });
            await new Promise((r) => setTimeout(r, waitMs));
            continue;
          }
        }
        if (answer.status >= 500 && attempt < retries) continue;
        throw new WebhookError(method, route, answer.status, typeof json?.code === 'number' ? json.code : undefined,
          typeof json?.message === 'string' ? json.message : answer.text.slice(0, 200));
      }
    },
    close: () => agent.destroy(),
  };
}

function parse(text: string): { retry_after?: unknown; code?: unknown; message?: unknown } | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}
