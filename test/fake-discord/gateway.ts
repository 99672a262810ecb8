// The gateway half of the fake: HELLO / IDENTIFY / READY / GUILD_CREATE / heartbeats / RESUME / dispatches.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord-api-types/v10';
import type { APIApplication, APIUser, GatewayGuildCreateDispatchData, GatewayReadyDispatchData } from 'discord-api-types/v10';

export interface GatewayHost {
  readonly token: string;
  readonly bot: APIUser;
  readonly application: APIApplication;
  readonly guilds: GatewayGuildCreateDispatchData[];
  readonly gatewayUrl: string;
}

export interface GatewayPayloadRecord {
  op: number;
  d: unknown;
  at: number;
}

interface Session {
  id: string;
  seq: number;
  socket: WebSocket | null;
  /** Every dispatch of the session, replayed after the client's `seq` on RESUME. */
  sent: { s: number; text: string }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Opcodes a client may send after IDENTIFY that the fake accepts and ignores (presence, voice, member requests…). */
const IGNORED_OPS = new Set<number>([
  GatewayOpcodes.PresenceUpdate,
  GatewayOpcodes.VoiceStateUpdate,
  GatewayOpcodes.RequestGuildMembers,
  GatewayOpcodes.RequestSoundboardSounds,
]);

export class FakeGateway {
  /** Every payload the client sent (IDENTIFY, heartbeats, presence…). */
  readonly received: GatewayPayloadRecord[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  private readonly events = new EventEmitter();

  constructor(
    private readonly host: GatewayHost,
    private readonly heartbeatIntervalMs: number,
    private readonly timers: Set<NodeJS.Timeout>,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  /** Send a dispatch to every session; sessions that are disconnected get it on RESUME, as on Discord. */
  dispatch(event: string, data: unknown): void {
    for (const session of this.sessions.values()) this.sendDispatch(session, event, data);
  }

  /** Resolves once some session has a live, identified (or resumed) socket. */
  waitForSession(timeoutMs: number): Promise<void> {
    const live = [...this.sessions.values()].some((s) => s.socket?.readyState === WebSocket.OPEN);
    if (live) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onSession = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.events.off('session', onSession);
        reject(new Error('No identified gateway connection (did the client log in?)'));
      }, timeoutMs);
      this.timers.add(timer);
      this.events.once('session', onSession);
    });
  }

  disconnect(code: number): void {
    for (const ws of this.sockets) ws.close(code, 'Disconnected by test');
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    this.wss.close();
  }

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }

  private sendDispatch(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const text = JSON.stringify({ op: GatewayOpcodes.Dispatch, t, s: session.seq, d });
    session.sent.push({ s: session.seq, text });
    if (session.sent.length > 500) session.sent.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(text);
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    this.sockets.add(ws);
    let session: Session | null = null;
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (session?.socket === ws) session.socket = null;
    });
    ws.on('error', () => ws.terminate());
    const query = new URL(req.url ?? '/', 'ws://127.0.0.1').searchParams;
    if (query.get('v') !== '10') return ws.close(4012, 'Invalid API version.');
    // Only JSON without transport compression is emulated (what discord.js uses when zlib-sync is absent).
    if ((query.get('encoding') ?? 'json') !== 'json' || query.has('compress')) return ws.close(4002, 'Error while decoding payload.');
    this.send(ws, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null });

    ws.on('message', (raw) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(String(raw)) as typeof payload;
      } catch {
        return ws.close(4002, 'Error while decoding payload.');
      }
      const op = typeof payload.op === 'number' ? payload.op : -1;
      const d = isRecord(payload.d) ? payload.d : {};
      this.received.push({ op, d: payload.d, at: Date.now() });
      switch (op) {
        case GatewayOpcodes.Heartbeat:
          return this.send(ws, { op: GatewayOpcodes.HeartbeatAck });
        case GatewayOpcodes.Identify:
          if (session) return ws.close(4005, 'Already authenticated.');
          if (d.token !== this.host.token) return ws.close(4004, 'Authentication failed.');
          if (typeof d.intents !== 'number') return ws.close(4013, 'Invalid intent(s).');
          session = this.identify(ws, d);
          return;
        case GatewayOpcodes.Resume: {
          if (d.token !== this.host.token) return ws.close(4004, 'Authentication failed.');
          const known = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
          if (!known) return this.send(ws, { op: GatewayOpcodes.InvalidSession, d: false });
          if (known.socket !== ws) known.socket?.terminate();
          known.socket = ws;
          session = known;
          const seq = Number(d.seq ?? 0);
          for (const p of known.sent) if (p.s > seq) ws.send(p.text);
          this.sendDispatch(known, GatewayDispatchEvents.Resumed, {});
          this.events.emit('session');
          return;
        }
        default:
          if (!session) return ws.close(4003, 'Not authenticated.');
          if (!IGNORED_OPS.has(op)) return ws.close(4001, 'Unknown opcode.');
      }
    });
  }

  private identify(ws: WebSocket, d: Record<string, unknown>): Session {
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, socket: ws, sent: [] };
    this.sessions.set(session.id, session);
    const { bot, application, guilds } = this.host;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: bot,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.host.gatewayUrl,
      shard: Array.isArray(d.shard) ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1],
      application: { id: application.id, flags: application.flags, flags_new: application.flags_new },
    };
    this.sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    for (const guild of guilds) this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, guild);
    this.events.emit('session');
    return session;
  }
}
