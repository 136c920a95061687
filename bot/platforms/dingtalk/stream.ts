// DingTalk Stream mode (Node only): the bot dials out, so no public URL is needed. Opens a connection
// (POST /v1.0/gateway/connections/open -> endpoint + ticket), keeps the WebSocket, answers the
// gateway's pings, acks every frame, and hands robot messages to the same parse path as the webhook.
// Reconnects with exponential backoff. Our own small client: the `dingtalk-stream` package (2.1.5)
// hard-codes the gateway URL (no local gateway in tests), JSON-parses frames without a guard (one bad
// frame throws out of the socket handler) and reconnects every second without backoff.
import WebSocket from 'ws';
import { BadRequestError } from '../../errors.js';
import type { Logger } from '../../log.js';

export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const TOPIC_CARD = '/v1.0/card/instances/callback';

export interface StreamOptions {
  clientId: string;
  clientSecret: string;
  /** The OpenAPI base the gateway is opened at (DINGTALK_API_BASE). */
  apiBase: string;
  log: Logger;
  /**
   * A robot message (the frame's data, parsed). Resolves once it is recorded: the frame is acked then.
   * Rejects with BadRequestError for a payload that is not one (acked too, it would only come back).
   */
  onRobotMessage(body: Record<string, unknown>): Promise<void>;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  fetch?: typeof fetch;
  /** No frame (not even the gateway's ping) for this long: the connection is taken as dead. */
  idleMs?: number;
}

type Frame = { specVersion?: string; type?: string; headers?: Record<string, unknown>; data?: unknown };

export class DingTalkStream {
  private socket: WebSocket | null = null;
  private stopped = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Connections opened so far (tests watch reconnects). */
  connections = 0;

  constructor(private readonly opts: StreamOptions) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.idleTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
        setTimeout(resolve, 1_000).unref?.();
      });
    }
  }

  private async open(): Promise<string> {
    const res = await (this.opts.fetch ?? fetch)(`${this.opts.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.opts.clientId,
        clientSecret: this.opts.clientSecret,
        subscriptions: [
          { type: 'EVENT', topic: '*' },
          { type: 'CALLBACK', topic: TOPIC_ROBOT },
          { type: 'CALLBACK', topic: TOPIC_CARD },
        ],
        ua: 'party-branch-bot',
      }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: unknown; ticket?: unknown };
    if (!res.ok || typeof body.endpoint !== 'string' || typeof body.ticket !== 'string') {
      throw new Error(`gateway connections/open: HTTP ${res.status}`);
    }
    return `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let url: string;
    try {
      url = await this.open();
    } catch (err) {
      this.opts.log.warn('dingtalk stream: cannot open a connection', { error: err instanceof Error ? err.message : String(err) });
      this.retry();
      return;
    }
    if (this.stopped) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (err) {
      // An endpoint that is not a WebSocket URL: try again later rather than throw out of the loop.
      this.opts.log.warn('dingtalk stream: bad endpoint', { error: err instanceof Error ? err.message : String(err) });
      this.retry();
      return;
    }
    this.socket = socket;
    socket.on('pong', () => this.watch());
    socket.on('open', () => {
      this.connections += 1;
      this.failures = 0;
      this.watch();
      this.opts.log.info('dingtalk stream connected');
    });
    socket.on('message', (raw) => {
      this.watch();
      void this.onFrame(socket, String(raw));
    });
    socket.on('error', (err) => this.opts.log.warn('dingtalk stream socket error', { error: err.message }));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      clearTimeout(this.idleTimer);
      if (!this.stopped) {
        this.opts.log.warn('dingtalk stream disconnected; reconnecting');
        this.retry();
      }
    });
  }

  /** Exponential backoff with jitter, reset by a successful connection. */
  private retry(): void {
    if (this.stopped) return;
    const { baseMs, maxMs } = this.opts.backoff ?? { baseMs: 1_000, maxMs: 60_000 };
    const exp = Math.min(maxMs, baseMs * 2 ** this.failures);
    this.failures += 1;
    const wait = Math.round(exp * (0.5 + (this.opts.random ?? Math.random)() / 2));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
    this.retryTimer.unref?.();
  }

  /** A WebSocket ping now and then keeps the line busy enough for the idle check; silence ends the socket. */
  private watch(): void {
    clearTimeout(this.idleTimer);
    const socket = this.socket;
    const idleMs = this.opts.idleMs ?? 120_000;
    const ping = setTimeout(() => {
      if (socket?.readyState === WebSocket.OPEN) socket.ping();
    }, idleMs / 2);
    ping.unref?.();
    this.idleTimer = setTimeout(() => {
      this.opts.log.warn('dingtalk stream silent too long; reconnecting');
      socket?.terminate();
    }, idleMs);
    this.idleTimer.unref?.();
  }

  private ack(socket: WebSocket, messageId: string, data: unknown, headers?: Record<string, unknown>): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ code: 200, headers: headers ?? { contentType: 'application/json', messageId }, message: 'OK', data: JSON.stringify(data) }));
  }

  private async onFrame(socket: WebSocket, raw: string): Promise<void> {
    let frame: Frame;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      frame = parsed as Frame;
    } catch {
      // Acked when its id can be read (so it is not pushed again); its content is not logged.
      const id = /"messageId"\s*:\s*"([^"]{1,200})"/.exec(raw)?.[1];
      if (id) this.ack(socket, id, { status: 'SUCCESS', message: 'unreadable frame' });
      this.opts.log.warn('dingtalk stream frame is not JSON', { bytes: raw.length, acked: Boolean(id) });
      return;
    }
    const headers = frame.headers ?? {};
    const messageId = typeof headers.messageId === 'string' ? headers.messageId : '';
    const topic = typeof headers.topic === 'string' ? headers.topic : '';
    if (frame.type === 'SYSTEM') {
      if (topic === 'ping') {
        // The gateway's keepalive: answered with its own headers and data.
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ code: 200, headers, message: 'OK', data: frame.data }));
      } else if (topic === 'disconnect') {
        this.opts.log.info('dingtalk stream: gateway asks to reconnect');
        socket.close();
      }
      return;
    }
    if (!messageId) {
      this.opts.log.warn('dingtalk stream frame without messageId', { type: String(frame.type), topic });
      return;
    }
    if (frame.type === 'CALLBACK' && topic === TOPIC_ROBOT) {
      try {
        const data: unknown = typeof frame.data === 'string' ? JSON.parse(frame.data) : null;
        if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new BadRequestError('robot frame data is not a JSON object');
        await this.opts.onRobotMessage(data as Record<string, unknown>);
      } catch (err) {
        if (!(err instanceof BadRequestError) && !(err instanceof SyntaxError)) {
          // Not recorded (database down): no ack, so the gateway pushes it again (~60 s).
          this.opts.log.error('dingtalk stream message not recorded', { error: err });
          return;
        }
        this.opts.log.warn('dingtalk stream robot frame refused', { reason: err.message });
      }
      this.ack(socket, messageId, { response: {} });
      return;
    }
    // Events and other callbacks (card callbacks: our messages carry no callback buttons) are acked and logged.
    this.opts.log.info('dingtalk stream frame acked without handling', { type: String(frame.type), topic });
    this.ack(socket, messageId, frame.type === 'EVENT' ? { status: 'SUCCESS' } : { response: {} });
  }
}
