/** The WeChat Official Account channel: its public surface. */
import type { Clock, Ids } from '../../platform/deps.js';
import type { Kv } from '../../platform/kv/index.js';
import type { BindingCodes } from '../bindings/codes.js';
import type { ChannelNotesPort } from '../bindings/notes.js';
import type { BindingStore } from '../bindings/types.js';
import type { InterviewPort } from '../ws/connection.js';
import { createWechatApi } from './api.js';
import { type WechatChannelLog, createWechatChannel } from './channel.js';
import type { WechatConfig } from './config.js';
import { createCsQuota } from './quota.js';

export { createWechatApi, type WechatApi } from './api.js';
export { type CallbackQuery, type WechatChannel, type WechatReply, createWechatChannel } from './channel.js';
export { type WechatAccount, type WechatConfig, loadWechatConfig } from './config.js';
export { createCsQuota, type CsQuota } from './quota.js';
export { wechatRoutes } from './routes.js';

export interface WechatDeps {
  config: WechatConfig;
  port: InterviewPort;
  codes: BindingCodes;
  bindings: BindingStore;
  notes: ChannelNotesPort;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  log: WechatChannelLog;
  deadlineMs?: number;
}

/** The channel with its API client and quota, and the QR maker for binding codes. */
export function createWechat(deps: WechatDeps) {
  const api = createWechatApi({
    baseUrl: deps.config.apiBase,
    kv: deps.kv,
    clock: deps.clock,
    log: deps.log,
  });
  const channel = createWechatChannel({
    accounts: deps.config.accounts,
    port: deps.port,
    codes: deps.codes,
    bindings: deps.bindings,
    api,
    quota: createCsQuota(deps.kv),
    notes: deps.notes,
    kv: deps.kv,
    clock: deps.clock,
    ids: deps.ids,
    log: deps.log,
    ...(deps.deadlineMs !== undefined ? { deadlineMs: deps.deadlineMs } : {}),
  });
  /** A temporary QR code (30 minutes) whose scan sends the scene `bind_<code>`. */
  async function bindingQr(code: string, accountName?: string) {
    const account = accountName
      ? deps.config.accounts.find((a) => a.name === accountName)
      : deps.config.accounts[0];
    if (!account) return null;
    const { url } = await api.createSceneQr(account, `bind_${code}`, 30 * 60);
    return { account: account.name, url };
  }
  return { api, channel, bindingQr };
}
