// A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests of the bot with a real discord.js Client.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayDispatchEvents, InteractionResponseType, InteractionType, MessageFlags } from 'discord-api-types/v10';
import type {
  APIApplication,
  APIApplicationCommand,
  APIAttachment,
  APIChannel,
  APIInteraction,
  APIMessage,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';
import {
  DEFAULT_APP_ID,
  DEFAULT_OWNER_ID,
  DEFAULT_USER_ID,
  guessContentType,
  makeApplication,
  makeAttachment,
  makeBotUser,
  makeGuildCreate,
  makeUser,
  snowflake,
} from './fixtures.ts';
import type { FakeGuildConfig } from './fixtures.ts';
import { FakeGateway } from './gateway.ts';
import type { GatewayPayloadRecord } from './gateway.ts';
import { buildInteraction, InteractionHandle } from './interactions.ts';
import type { InteractionInit, UploadedFile } from './interactions.ts';
import {
  checkCallbackBody,
  checkCommandsPut,
  checkWebhookEdit,
  checkWebhookExecute,
  formatIssue,
  isEmptyMessage,
  toDiscordErrors,
} from './schema.ts';
import type { SchemaIssue } from './schema.ts';
import { applyEdit, createMessage } from './messages.ts';
import type { MessageContext } from './messages.ts';
import { err, FakeChannels, json, TOO_LARGE } from './channels.ts';
import type { ChannelCtx as Ctx, FakeThread, PostedMessage, Reply } from './channels.ts';

export * from './interactions.ts';
export type { FakeGuildConfig } from './fixtures.ts';
export type { FakeThread, PostedMessage } from './channels.ts';

export interface FakeDiscordOptions {
  /** Bot token the fake accepts (REST `Authorization: Bot …` and gateway IDENTIFY). */
  token?: string;
  applicationId?: string;
  botName?: string;
  /** Guilds sent as GUILD_CREATE after READY. Default: one guild with one text channel. */
  guilds?: FakeGuildConfig[];
  /** Time allowed between dispatch and the first callback. Discord: 3000. */
  interactionDeadlineMs?: number;
  /** Lifetime of the interaction token for webhook routes. Discord: 15 minutes. */
  interactionTokenTtlMs?: number;
  /** HELLO heartbeat_interval. Discord: ~41250. */
  heartbeatIntervalMs?: number;
  /** Largest total upload per request; over it → 413 `40005`. Discord: 10 MiB on an unboosted server. */
  uploadLimitBytes?: number;
  /** The application has the privileged GUILD_MEMBERS intent (GET thread-members needs it). Default false. */
  guildMembersIntent?: boolean;
  /** Users the bot can DM or add to threads, besides the bot, the owner and every interaction's user. */
  users?: Partial<APIUser>[];
}

export interface RecordedRequest {
  method: string;
  /** Path after `/api/v10` (or the raw path for non-API routes such as `/attachments/…`). */
  path: string;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  /** Response status, set once answered. */
  status: number;
  at: number;
}

export interface SchemaErrorRecord {
  method: string;
  path: string;
  /** Discord error code returned: 50035 (Invalid Form Body), 50006 (empty message). */
  code: number;
  errors: string[];
  body: unknown;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  auth: boolean;
  handler: (ctx: Ctx) => Reply;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const NOT_FOUND = err(404, 0, '404: Not Found');
const UNKNOWN_INTERACTION = err(404, 10062, 'Unknown interaction');
const UNKNOWN_WEBHOOK = err(404, 10015, 'Unknown Webhook');
const UNKNOWN_MESSAGE = err(404, 10008, 'Unknown Message');
const INVALID_WEBHOOK_TOKEN = err(401, 50027, 'Invalid Webhook Token');
const MISSING_ACCESS = err(403, 50001, 'Missing Access');

/** Callback types Discord accepts per interaction type. */
const ALLOWED_CALLBACKS: Record<number, readonly number[]> = {
  [InteractionType.ApplicationCommand]: [4, 5, 9, 12],
  [InteractionType.MessageComponent]: [4, 5, 6, 7, 9, 12],
  [InteractionType.ApplicationCommandAutocomplete]: [8],
  [InteractionType.ModalSubmit]: [4, 5, 6, 7],
};

export class FakeDiscord {
  static readonly DEFAULT_TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfAkE0.fake-discord-token-for-tests-only-xxxxxx';

  readonly token: string;
  readonly applicationId: string;
  readonly bot: APIUser;
  readonly application: APIApplication;
  readonly guilds: GatewayGuildCreateDispatchData[];
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Every request body Discord would refuse as invalid. A healthy bot keeps this empty. */
  readonly schemaErrors: SchemaErrorRecord[] = [];
  readonly globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  readonly interactions = new Map<string, InteractionHandle>();

  private readonly opts: Required<Omit<FakeDiscordOptions, 'guilds' | 'botName' | 'applicationId' | 'token' | 'users'>>;
  private readonly routes: Route[] = [];
  private readonly attachments = new Map<string, { data: Buffer; contentType: string }>();
  private readonly rateLimits: { prefix: string; retryAfter: number }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly gateway: FakeGateway;
  private readonly messages: MessageContext;
  private readonly channels: FakeChannels;
  private port = 0;

  private constructor(private readonly server: Server, options: FakeDiscordOptions) {
    this.token = options.token ?? FakeDiscord.DEFAULT_TOKEN;
    this.applicationId = options.applicationId ?? DEFAULT_APP_ID;
    this.bot = makeBotUser(this.applicationId, options.botName ?? 'Liaison');
    this.application = makeApplication(this.bot, makeUser({ id: DEFAULT_OWNER_ID, username: 'owner' }));
    this.guilds = (options.guilds ?? [{}]).map((g, i) => makeGuildCreate(g, this.bot, i));
    this.opts = {
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
      interactionTokenTtlMs: options.interactionTokenTtlMs ?? 15 * 60_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      uploadLimitBytes: options.uploadLimitBytes ?? 10 * 1024 * 1024,
      guildMembersIntent: options.guildMembersIntent ?? false,
    };
    this.gateway = new FakeGateway(this, this.opts.heartbeatIntervalMs, this.timers);
    this.messages = {
      bot: this.bot,
      applicationId: this.applicationId,
      baseUrl: () => this.baseUrl,
      serve: (att, file) => this.attachments.set(attachmentKey(att.url), { data: file.data, contentType: file.contentType }),
    };
    this.channels = new FakeChannels({
      bot: this.bot,
      guilds: this.guilds,
      messages: this.messages,
      uploadLimitBytes: this.opts.uploadLimitBytes,
      guildMembersIntent: this.opts.guildMembersIntent,
      dispatch: (event, data) => this.dispatch(event, data),
      invalid: (ctx, issues) => this.invalid(ctx, issues),
      empty: (ctx) => this.empty(ctx),
    });
    for (const u of [this.application.owner, makeUser({ id: DEFAULT_USER_ID, username: 'researcher' }), ...(options.users ?? [])]) {
      if (u?.id) this.addUser(u as APIUser & { id: string });
    }
    this.defineRoutes();
    server.on('request', (req, res) => void this.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(createServer(), options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** For `new Client({ rest: { api: fake.apiBase } })`; @discordjs/rest appends `/v10/<route>`. */
  get apiBase(): string {
    return `${this.baseUrl}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The first guild's id and text channel id, for convenience. */
  get guildId(): string {
    return this.guilds[0]?.id ?? '';
  }

  get channelId(): string {
    return this.guilds[0]?.channels[0]?.id ?? '';
  }

  /** Every payload the bot sent over the gateway (IDENTIFY, heartbeats, presence…). */
  get gatewayReceived(): GatewayPayloadRecord[] {
    return this.gateway.received;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forget logged requests and schema errors (e.g. in beforeEach). */
  clearLogs(): void {
    this.requests.length = 0;
    this.schemaErrors.length = 0;
    this.channels.posted.length = 0;
    this.gatewayReceived.length = 0;
  }

  /** Serve a file like Discord's CDN, for testing attachment import. */
  addAttachment(name: string, content: Uint8Array | string, opts: { contentType?: string; channelId?: string } = {}): APIAttachment {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const contentType = opts.contentType ?? guessContentType(name) ?? 'application/octet-stream';
    const attachment = makeAttachment(this.baseUrl, opts.channelId ?? this.channelId, name, data.length, contentType);
    this.attachments.set(attachmentKey(attachment.url), { data, contentType });
    return attachment;
  }

  /** The next request whose `"METHOD /path"` starts with `methodAndRoutePrefix` gets a 429. */
  rateLimitNext(methodAndRoutePrefix: string, retryAfterSeconds: number): void {
    this.rateLimits.push({ prefix: methodAndRoutePrefix, retryAfter: retryAfterSeconds });
  }

  /** Messages the bot posted with its token (POST /channels/{id}/messages) in channels, DMs and threads. */
  get channelMessages(): PostedMessage[] {
    return this.channels.posted;
  }

  /** The bot's messages in one channel, DM or thread. */
  messagesIn(channelId: string): PostedMessage[] {
    return this.channels.posted.filter((m) => m.channel_id === channelId);
  }

  /** A user the bot may DM or add to a thread (GET /users/{id} knows it). */
  addUser(user: Partial<APIUser> & { id: string }): APIUser {
    const full = makeUser(user);
    this.channels.users.set(full.id, full);
    return full;
  }

  /** Simulate a user who does not accept DMs from this bot: sending to their DM channel → 403 `50007`. */
  closeDms(userId: string, closed = true): void {
    if (closed) this.channels.closedDms.add(userId);
    else this.channels.closedDms.delete(userId);
  }

  /** The DM channel the bot opened with `userId`, if any. */
  dmChannel(userId: string): APIChannel | undefined {
    return this.channels.dms.get(userId);
  }

  /** Messages the bot delivered to `userId` by DM. */
  dmsTo(userId: string): PostedMessage[] {
    const dm = this.channels.dms.get(userId);
    return dm ? this.messagesIn(dm.id) : [];
  }

  /** Threads the bot created, in creation order. */
  get threads(): FakeThread[] {
    return [...this.channels.threads.values()];
  }

  /** User ids in a thread, the bot included, in the order they joined. */
  threadMembers(threadId: string): string[] {
    return [...(this.channels.threads.get(threadId)?.members.keys() ?? [])];
  }

  /** Send any gateway dispatch to every connected session. */
  dispatch(event: string, data: unknown): void {
    this.gateway.dispatch(event, data);
  }

  /** Close every gateway socket (default 4000 = resumable), to exercise reconnect/RESUME. */
  disconnectGateway(code = 4000): void {
    this.gateway.disconnect(code);
  }

  /** Build a full interaction from `init`, send INTERACTION_CREATE, and return a handle to observe the answer. */
  async dispatchInteraction(init: InteractionInit): Promise<InteractionHandle> {
    await this.gateway.waitForSession(5000);
    const guild = init.guildId === null ? undefined : (this.guilds.find((g) => g.id === init.guildId) ?? this.guilds[0]);
    if (init.guildId && !this.guilds.some((g) => g.id === init.guildId)) throw new Error(`Unknown guild ${init.guildId}`);
    const interaction: APIInteraction = buildInteraction(init, {
      applicationId: this.applicationId,
      bot: this.bot,
      guild,
      findCommand: (name, guildId) =>
        (guildId ? this.guildCommands.get(guildId) : undefined)?.find((c) => c.name === name) ??
        this.globalCommands.find((c) => c.name === name),
      findChannel: (id) => {
        const found = this.channels.find(id);
        return found && found.kind !== 'text' ? found.channel : undefined;
      },
    });
    const invoker = interaction.member?.user ?? interaction.user;
    if (invoker && !this.channels.users.has(invoker.id)) this.channels.users.set(invoker.id, invoker);
    if (guild && interaction.channel_id) this.channels.learnChannel(guild.id, interaction.channel_id);
    const handle = new InteractionHandle(interaction, Date.now(), this.opts.interactionDeadlineMs + 500, this.timers);
    this.interactions.set(interaction.id, handle);
    this.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    return handle;
  }

  // ---------------------------------------------------------------- REST plumbing

  private route(method: string, path: string, handler: (ctx: Ctx) => Reply, auth = true): void {
    const keys: string[] = [];
    const source = path.replace(/[.@]/g, '\\$&').replace(/:(\w+)/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, auth, handler });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);

    const isApi = url.pathname.startsWith('/api/v10/');
    // Decoded per segment: discord.js sends '@original' as '%40original'.
    const path = (isApi ? url.pathname.slice('/api/v10'.length) : url.pathname).split('/').map(safeDecode).join('/');
    const rec: RecordedRequest = { method, path, query: Object.fromEntries(url.searchParams), body: undefined, files: [], status: 0, at: Date.now() };
    this.requests.push(rec);

    const reply = await this.handle(req, url, rec, raw, isApi).catch((e: unknown): Reply => err(500, 0, `Fake Discord crashed: ${String(e)}`));
    rec.status = reply.status;
    if (reply.body instanceof Buffer) {
      res.writeHead(reply.status, { 'Content-Length': reply.body.length, ...reply.headers });
      res.end(reply.body);
      return;
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...(text ? { 'Content-Type': 'application/json' } : {}), ...reply.headers });
    res.end(text);
  }

  private async handle(req: IncomingMessage, url: URL, rec: RecordedRequest, raw: Buffer, isApi: boolean): Promise<Reply> {
    if (!isApi) {
      const file = rec.method === 'GET' ? this.attachments.get(rec.path) : undefined;
      return file ? { status: 200, body: file.data, headers: { 'Content-Type': file.contentType } } : NOT_FOUND;
    }
    try {
      const parsed = await parseBody(req.headers['content-type'] ?? '', raw, url);
      rec.body = parsed.body;
      rec.files = parsed.files;
    } catch {
      return err(400, 50109, 'The request body contains invalid JSON.');
    }
    for (const route of this.routes) {
      if (route.method !== rec.method) continue;
      const m = route.pattern.exec(rec.path);
      if (!m) continue;
      if (route.auth && req.headers.authorization !== `Bot ${this.token}`) return err(401, 0, '401: Unauthorized');
      const limited = this.takeRateLimit(`${rec.method} ${rec.path}`);
      if (limited) return limited;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, m[i + 1] ?? '']));
      return route.handler({ method: rec.method, path: rec.path, params, query: url.searchParams, body: rec.body, files: rec.files });
    }
    return NOT_FOUND;
  }

  private takeRateLimit(key: string): Reply | undefined {
    const i = this.rateLimits.findIndex((r) => key.startsWith(r.prefix));
    if (i < 0) return undefined;
    const [limit] = this.rateLimits.splice(i, 1);
    const retryAfter = limit?.retryAfter ?? 1;
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      headers: {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Date.now() / 1000 + retryAfter),
        'X-RateLimit-Reset-After': String(retryAfter),
        'X-RateLimit-Bucket': 'fakebucket0000000000000000000000',
        'X-RateLimit-Scope': 'user',
      },
    };
  }

  private invalid(ctx: Ctx, issues: SchemaIssue[]): Reply {
    this.schemaErrors.push({ method: ctx.method, path: ctx.path, code: 50035, errors: issues.map(formatIssue), body: ctx.body });
    return err(400, 50035, 'Invalid Form Body', { errors: toDiscordErrors(issues) });
  }

  private empty(ctx: Ctx): Reply {
    this.schemaErrors.push({ method: ctx.method, path: ctx.path, code: 50006, errors: ['Cannot send an empty message'], body: ctx.body });
    return err(400, 50006, 'Cannot send an empty message');
  }

  // ---------------------------------------------------------------- routes

  private defineRoutes(): void {
    this.route('GET', '/gateway', () => json({ url: this.gatewayUrl }), false);
    this.route('GET', '/gateway/bot', () =>
      json({ url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }));
    this.route('GET', '/users/@me', () => json(this.bot));
    this.route('POST', '/users/@me/channels', (c) => this.channels.createDm(c));
    this.route('GET', '/users/:user', (c) => this.channels.getUser(c));
    this.route('GET', '/applications/@me', () => json(this.application));
    this.route('GET', '/oauth2/applications/@me', () => json(this.application));
    this.route('GET', '/applications/:app/commands', (c) => this.commandsGet(c, undefined));
    this.route('PUT', '/applications/:app/commands', (c) => this.commandsPut(c, undefined));
    this.route('GET', '/applications/:app/guilds/:guild/commands', (c) => this.commandsGet(c, c.params.guild));
    this.route('PUT', '/applications/:app/guilds/:guild/commands', (c) => this.commandsPut(c, c.params.guild));
    this.route('POST', '/interactions/:id/:token/callback', (c) => this.callback(c), false);
    this.route('GET', '/channels/:channel', (c) => this.channels.getChannel(c));
    this.route('GET', '/guilds/:guild/roles', (c) => this.channels.getRoles(c));
    this.route('GET', '/guilds/:guild/members/:user', (c) => this.channels.getMember(c));
    this.route('POST', '/channels/:channel/messages', (c) => this.channels.postMessage(c));
    this.route('POST', '/channels/:channel/threads', (c) => this.channels.createThread(c));
    this.route('GET', '/channels/:channel/thread-members', (c) => this.channels.getThreadMembers(c));
    this.route('GET', '/channels/:channel/thread-members/:user', (c) => this.channels.getThreadMembers(c));
    this.route('PUT', '/channels/:channel/thread-members/:user', (c) => this.channels.addThreadMember(c));
    this.route('DELETE', '/channels/:channel/thread-members/:user', (c) => this.channels.removeThreadMember(c));
    // Interaction webhooks need no bot auth, as on Discord; `:message` may be '@original'.
    this.route('POST', '/webhooks/:app/:token', this.webhook((h, c) => this.followup(h, c)), false);
    this.route('GET', '/webhooks/:app/:token/messages/:message', this.webhook((h, c) => this.messageGet(h, c)), false);
    this.route('PATCH', '/webhooks/:app/:token/messages/:message', this.webhook((h, c) => this.messageEdit(h, c)), false);
    this.route('DELETE', '/webhooks/:app/:token/messages/:message', this.webhook((h, c) => this.messageDelete(h, c)), false);
  }

  private commandScope(ctx: Ctx, guildId: string | undefined): APIApplicationCommand[] | Reply {
    if (ctx.params.app !== this.applicationId) return MISSING_ACCESS;
    if (guildId === undefined) return this.globalCommands;
    if (!this.guilds.some((g) => g.id === guildId)) return MISSING_ACCESS;
    let list = this.guildCommands.get(guildId);
    if (!list) this.guildCommands.set(guildId, (list = []));
    return list;
  }

  private commandsGet(ctx: Ctx, guildId: string | undefined): Reply {
    const scope = this.commandScope(ctx, guildId);
    return Array.isArray(scope) ? json(scope) : scope;
  }

  private commandsPut(ctx: Ctx, guildId: string | undefined): Reply {
    const scope = this.commandScope(ctx, guildId);
    if (!Array.isArray(scope)) return scope;
    const issues = checkCommandsPut(ctx.body);
    if (issues.length > 0) return this.invalid(ctx, issues);
    const incoming = (Array.isArray(ctx.body) ? ctx.body : []).filter(isRecord);
    const next = incoming.map((cmd): APIApplicationCommand => {
      const type = typeof cmd.type === 'number' ? cmd.type : 1;
      // Bulk overwrite keeps the id of a command with the same name and type.
      const existing = scope.find((c) => c.name === cmd.name && c.type === type);
      const perms = cmd.default_member_permissions;
      return {
        ...cmd,
        id: existing?.id ?? snowflake(),
        application_id: this.applicationId,
        ...(guildId ? { guild_id: guildId } : {}),
        version: snowflake(),
        type,
        name: String(cmd.name),
        description: typeof cmd.description === 'string' ? cmd.description : '',
        default_member_permissions: perms === undefined || perms === null ? null : String(perms),
        nsfw: cmd.nsfw === true,
        integration_types: Array.isArray(cmd.integration_types) ? cmd.integration_types : [0],
        contexts: Array.isArray(cmd.contexts) ? cmd.contexts : null,
      } as APIApplicationCommand;
    });
    scope.splice(0, scope.length, ...next);
    return json(next);
  }

  private callback(ctx: Ctx): Reply {
    const handle = this.interactions.get(ctx.params.id ?? '');
    if (!handle) return UNKNOWN_INTERACTION;
    const refuse = (reply: Reply): Reply => {
      handle.refused.push({ method: ctx.method, path: ctx.path, status: reply.status, response: reply.body });
      handle.changed();
      return reply;
    };
    if (handle.token !== ctx.params.token) return refuse(INVALID_WEBHOOK_TOKEN);
    if (handle.callback) return refuse(err(400, 40060, 'Interaction has already been acknowledged.'));
    if (Date.now() > handle.dispatchedAt + this.opts.interactionDeadlineMs) return refuse(UNKNOWN_INTERACTION);

    const issues = checkCallbackBody(ctx.body);
    if (issues.length > 0) return refuse(this.invalid(ctx, issues));
    const body = ctx.body as { type: InteractionResponseType; data?: unknown };
    const data = isRecord(body.data) ? body.data : undefined;
    if (!ALLOWED_CALLBACKS[handle.interaction.type]?.includes(body.type)) {
      return refuse(this.invalid(ctx, [{ path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: `Callback type ${body.type} is not valid for interaction type ${handle.interaction.type}` }]));
    }
    if (body.type === InteractionResponseType.ChannelMessageWithSource && isEmptyMessage(data, ctx.files.length)) return refuse(this.empty(ctx));
    if (this.channels.uploadTooLarge(ctx.files)) return refuse(TOO_LARGE);

    handle.callback = { type: body.type, data, files: ctx.files, at: Date.now() };
    const componentMessage = handle.interaction.message ?? null;
    switch (body.type) {
      case InteractionResponseType.ChannelMessageWithSource:
        handle.originalMessage = createMessage(this.messages, handle.interaction, data ?? {}, ctx.files, true);
        handle.originalSettled = true;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        handle.originalMessage = createMessage(this.messages, handle.interaction, { flags: Number(data?.flags ?? 0) | MessageFlags.Loading }, [], true);
        break;
      case InteractionResponseType.DeferredMessageUpdate:
        handle.originalMessage = componentMessage;
        break;
      case InteractionResponseType.UpdateMessage:
        handle.originalMessage = componentMessage && applyEdit(this.messages, componentMessage, data ?? {}, ctx.files);
        handle.originalSettled = true;
        break;
      default:
        handle.originalMessage = null;
    }
    handle.changed();
    if (ctx.query.get('with_response') !== 'true') return { status: 204 };
    const msg = handle.originalMessage;
    return json({
      interaction: {
        id: handle.id,
        type: handle.interaction.type,
        ...(msg ? { response_message_id: msg.id, response_message_loading: body.type === 5, response_message_ephemeral: ((msg.flags ?? 0) & MessageFlags.Ephemeral) !== 0 } : {}),
      },
      ...(msg ? { resource: { type: body.type, message: msg } } : {}),
    });
  }

  /** Resolves the interaction behind a webhook route; records any refusal on its handle. */
  private webhook(fn: (handle: InteractionHandle, ctx: Ctx) => Reply): (ctx: Ctx) => Reply {
    return (ctx) => {
      const handle = [...this.interactions.values()].find((h) => h.token === ctx.params.token);
      let reply: Reply;
      if (ctx.params.app !== this.applicationId || !handle?.callback) reply = UNKNOWN_WEBHOOK;
      else if (Date.now() > handle.dispatchedAt + this.opts.interactionTokenTtlMs) reply = INVALID_WEBHOOK_TOKEN;
      else reply = fn(handle, ctx);
      if (handle && reply.status >= 400) {
        handle.refused.push({ method: ctx.method, path: ctx.path, status: reply.status, response: reply.body });
        handle.changed();
      }
      return reply;
    };
  }

  private findMessage(handle: InteractionHandle, ctx: Ctx): APIMessage | undefined {
    const id = ctx.params.message;
    if (id === '@original' || id === handle.originalMessage?.id) return handle.originalMessage ?? undefined;
    return handle.followups.find((m) => m.id === id);
  }

  private messageGet(handle: InteractionHandle, ctx: Ctx): Reply {
    const msg = this.findMessage(handle, ctx);
    return msg ? json(msg) : UNKNOWN_MESSAGE;
  }

  private messageEdit(handle: InteractionHandle, ctx: Ctx): Reply {
    const msg = this.findMessage(handle, ctx);
    if (!msg) return UNKNOWN_MESSAGE;
    const issues = checkWebhookEdit(ctx.body);
    if (issues.length > 0) return this.invalid(ctx, issues);
    if (this.channels.uploadTooLarge(ctx.files)) return TOO_LARGE;
    const next = applyEdit(this.messages, msg, isRecord(ctx.body) ? ctx.body : {}, ctx.files);
    if (isEmptyMessage(next)) return this.empty(ctx);
    if (msg === handle.originalMessage) {
      handle.originalMessage = next;
      handle.originalSettled = true;
      handle.edits.push(next);
    } else {
      handle.followups.splice(handle.followups.indexOf(msg), 1, next);
    }
    handle.changed();
    return json(next);
  }

  private messageDelete(handle: InteractionHandle, ctx: Ctx): Reply {
    const msg = this.findMessage(handle, ctx);
    if (!msg) return UNKNOWN_MESSAGE;
    if (msg === handle.originalMessage) handle.originalMessage = null;
    else handle.followups.splice(handle.followups.indexOf(msg), 1);
    handle.changed();
    return { status: 204 };
  }

  private followup(handle: InteractionHandle, ctx: Ctx): Reply {
    const issues = checkWebhookExecute(ctx.body);
    if (issues.length > 0) return this.invalid(ctx, issues);
    if (isEmptyMessage(ctx.body, ctx.files.length)) return this.empty(ctx);
    if (this.channels.uploadTooLarge(ctx.files)) return TOO_LARGE;
    const msg = createMessage(this.messages, handle.interaction, isRecord(ctx.body) ? ctx.body : {}, ctx.files, false);
    handle.followups.push(msg);
    handle.changed();
    return ctx.query.get('wait') === 'true' ? json(msg) : { status: 204 };
  }
}

/** Decoded path of an attachment URL; the key under which the fake serves it. */
function attachmentKey(url: string): string {
  return new URL(url).pathname.split('/').map(safeDecode).join('/');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** JSON or multipart/form-data (`payload_json` + `files[n]`), as @discordjs/rest sends them. */
async function parseBody(contentType: string, raw: Buffer, url: URL): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    // Let undici's Request parse the multipart body; no hand-written parser needed.
    const form = await new Request(url, { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
        continue;
      }
      const data = Buffer.from(await value.arrayBuffer());
      files.push({ field, name: value.name, contentType: value.type || guessContentType(value.name) || 'application/octet-stream', data });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}
