/**
 * WeChat Official Account settings, from `WEIDAI_WECHAT_ACCOUNTS` (a JSON array) and `WEIDAI_WECHAT_API_BASE`.
 * Validated once at start-up like the rest of the configuration; the caller passes the environment in.
 */
import { z } from 'zod';

export const WechatAccountSchema = z.object({
  /** The path segment of the callback URL: /channels/wechat/<name>. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - and _'),
  appId: z.string().min(1),
  appSecret: z.string().min(1),
  /** The Token set on the account's server-configuration page (3–32 letters and digits). */
  token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, '3 to 32 letters and digits'),
  /** 43 characters; required for the safe and compatible modes. */
  encodingAesKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}$/, '43 base64 characters')
    .optional(),
  /** plain: 明文模式; compat: 兼容模式 (both accepted, replies as received); safe: 安全模式 (encrypted only). */
  mode: z.enum(['plain', 'compat', 'safe']).default('plain'),
});

export type WechatAccount = z.infer<typeof WechatAccountSchema>;

const AccountsSchema = z.array(WechatAccountSchema).superRefine((accounts, ctx) => {
  const names = new Set<string>();
  accounts.forEach((a, i) => {
    if (names.has(a.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'duplicate account name' });
    names.add(a.name);
    if (a.mode !== 'plain' && !a.encodingAesKey) {
      ctx.addIssue({ code: 'custom', path: [i, 'encodingAesKey'], message: `required in ${a.mode} mode` });
    }
  });
});

export interface WechatConfig {
  accounts: WechatAccount[];
  /** https://api.weixin.qq.com, or a local fake in tests. */
  apiBase: string;
}

export const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com';

/** Reads the WeChat settings from `env`; throws with every problem listed (secrets are never echoed). */
export function loadWechatConfig(env: Record<string, string | undefined>): WechatConfig {
  const raw = env.WEIDAI_WECHAT_ACCOUNTS?.trim();
  const apiBase = (env.WEIDAI_WECHAT_API_BASE?.trim() || DEFAULT_WECHAT_API_BASE).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiBase))
    throw new Error('Invalid configuration:\n  WEIDAI_WECHAT_API_BASE: must be a URL');
  if (!raw) return { accounts: [], apiBase };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('Invalid configuration:\n  WEIDAI_WECHAT_ACCOUNTS: not JSON');
  }
  const parsed = AccountsSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `WEIDAI_WECHAT_ACCOUNTS.${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return { accounts: parsed.data, apiBase };
}
