/**
 * The public endpoint that issues binding codes: the applicant's page, holding the interview session token after
 * the identity check, asks for a code to send to the WeChat Official Account (or a QR code to scan there).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Clock } from '../../platform/deps.js';
import { tooMany } from '../../platform/errors.js';
import type { Kv } from '../../platform/kv/index.js';
import type { BindingCodes } from './codes.js';

/** Makes the WeChat QR whose scan binds with `code`; null when no account is configured or WeChat refused. */
export type BindingQrMaker = (
  code: string,
  account?: string,
) => Promise<{ account: string; url: string } | null>;

export interface BindingRoutesOptions {
  codes: BindingCodes;
  kv: Kv;
  clock: Clock;
  qr?: BindingQrMaker;
  /** Codes per address per minute (default 10). */
  perMinute?: number;
}

const Body = z.object({
  session_token: z.string().min(16).max(200),
  /** The WeChat account for the QR code; the first configured one by default. */
  account: z.string().max(64).optional(),
  lang: z.enum(['zh-CN', 'en-US']).optional(),
});

const Reply = z.object({
  code: z.string().describe('8 characters, single use; send "绑定 <code>" to the Official Account'),
  expires_in: z.number().int().describe('seconds'),
  qr: z
    .object({
      account: z.string(),
      url: z.string().describe('the URL WeChat encodes in the QR code'),
      image: z.string().describe('the QR code as a data: URL (PNG)'),
    })
    .nullable(),
});

export const bindingRoutes: FastifyPluginAsyncZod<BindingRoutesOptions> = async (app, opts) => {
  const perMinute = opts.perMinute ?? 10;
  app.post(
    '/channels/binding-codes',
    {
      schema: {
        tags: ['channels'],
        summary: 'Issue a one-time code binding a WeChat user to the interview',
        security: [],
        body: Body,
        response: { 200: Reply },
      },
    },
    async (req) => {
      const minute = Math.floor(opts.clock.now().getTime() / 60_000);
      if ((await opts.kv.incr(`chbind:rate:${req.ip}:${minute}`, { ttlMs: 120_000 })) > perMinute) {
        throw tooMany('RATE_LIMITED', 'Too many binding codes; wait a minute');
      }
      const { code, expiresIn } = await opts.codes.issue(req.body.session_token, req.body.lang);
      let qr: z.infer<typeof Reply>['qr'] = null;
      const made = await opts.qr?.(code, req.body.account).catch((e: unknown) => {
        req.log.warn({ error: (e as { code?: string }).code ?? 'ERROR' }, 'wechat QR code not made');
        return null;
      });
      if (made) {
        const image = await QRCode.toDataURL(made.url, { errorCorrectionLevel: 'M', margin: 2, width: 300 });
        qr = { ...made, image };
      }
      return { code, expires_in: expiresIn, qr };
    },
  );
};
