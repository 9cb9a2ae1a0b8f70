/** A local fake of the WeChat API server (token, customer-service send, QR code) on 127.0.0.1. */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWechat {
  baseUrl: string;
  tokenFetches: number;
  sent: { touser: string; content: string; token: string }[];
  qrs: { scene: string }[];
  /** Delay of the token endpoint, to let concurrent refreshers overlap. */
  tokenDelayMs: number;
  /** errcode the send endpoint answers (0: sent). */
  sendErrcode: number;
  /** Tokens the server no longer accepts. */
  revoked: Set<string>;
  close(): Promise<void>;
}

export async function startFakeWechat(): Promise<FakeWechat> {
  const state = {
    tokenFetches: 0,
    sent: [] as FakeWechat['sent'],
    qrs: [] as FakeWechat['qrs'],
    tokenDelayMs: 0,
    sendErrcode: 0,
    revoked: new Set<string>(),
  };
  const json = (res: ServerResponse, body: unknown) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/cgi-bin/token') {
        state.tokenFetches++;
        const n = state.tokenFetches;
        await new Promise((r) => setTimeout(r, state.tokenDelayMs));
        if (url.searchParams.get('secret') !== 'app-secret')
          return json(res, { errcode: 40125, errmsg: 'invalid appsecret' });
        return json(res, { access_token: `token-${n}`, expires_in: 7200 });
      }
      const token = url.searchParams.get('access_token') ?? '';
      if (!token.startsWith('token-') || state.revoked.has(token)) {
        return json(res, { errcode: 40001, errmsg: 'invalid credential' });
      }
      const body = await readBody(req);
      if (url.pathname === '/cgi-bin/message/custom/send') {
        if (state.sendErrcode) return json(res, { errcode: state.sendErrcode, errmsg: 'refused' });
        const text = body.text as { content: string };
        state.sent.push({ touser: String(body.touser), content: text.content, token });
        return json(res, { errcode: 0, errmsg: 'ok' });
      }
      if (url.pathname === '/cgi-bin/qrcode/create') {
        const info = body.action_info as { scene: { scene_str: string } };
        state.qrs.push({ scene: info.scene.scene_str });
        return json(res, {
          ticket: 'T1',
          expire_seconds: 1800,
          url: `http://weixin.qq.com/q/${info.scene.scene_str}`,
        });
      }
      res.statusCode = 404;
      res.end();
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}
