/** The interview WebSocket protocol, version 1 (docs/ws-protocol.md): client frames and close codes. */
import { z } from 'zod';

export const MAX_FRAME_BYTES = 8 * 1024;
export const HELLO_TIMEOUT_MS = 10_000;
export const HEARTBEAT_MS = 25_000;

export const CLOSE = {
  NORMAL: 1000,
  SERVER_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
  BAD_FRAME: 4400,
  UNAUTHENTICATED: 4401,
  HELLO_TIMEOUT: 4408,
  REPLACED: 4409,
  SESSION_ENDED: 4410,
  FRAME_TOO_LARGE: 4413,
  RESUME_OUT_OF_RANGE: 4416,
  FLOOD: 4429,
} as const;

const clientMsgId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const ClientFrame = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    token: z.string().min(16).max(200),
    lastSeq: z.number().int().min(0).max(1_000_000).default(0),
    lang: z.enum(['zh-CN', 'en-US']).optional(),
    client: z.string().max(64).optional(),
  }),
  z
    .strictObject({
      type: z.literal('answer'),
      clientMsgId,
      text: z.string().max(4000).optional(),
      choice: z.string().max(64).optional(),
    })
    .refine((f) => f.text !== undefined || f.choice !== undefined, { message: 'text or choice is required' }),
  z.strictObject({ type: z.literal('ack'), seq: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export type ServerFrame =
  | { type: 'welcome'; sessionId: string; state: string; lastSeq: number; heartbeatMs: number }
  | {
      type: 'message';
      seq: number;
      id: string;
      text: string;
      choices?: { id: string; label: string }[];
      expects?: string;
      questionId?: string;
      at: string;
    }
  | { type: 'ack'; clientMsgId: string; seq: number }
  /** The applicant's own earlier answer, replayed on a resume (a device that never had it: another phone). */
  | { type: 'echo'; seq: number; clientMsgId: string; text: string }
  | { type: 'typing'; on: boolean }
  | { type: 'end'; seq: number; reason: string; text: string }
  | { type: 'error'; code: string; message: string; clientMsgId?: string; retryAfterMs?: number }
  | { type: 'pong' };

/** Parses one text frame; a reason code for anything that is not a valid client frame. */
export function parseFrame(raw: string): { ok: true; frame: ClientFrame } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const r = ClientFrame.safeParse(json);
  if (!r.success)
    return {
      ok: false,
      reason: r.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; '),
    };
  return { ok: true, frame: r.data };
}
