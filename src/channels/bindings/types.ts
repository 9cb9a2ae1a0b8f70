/**
 * Bindings of a channel user (a WeChat openid on one Official Account, a Bot Framework conversation member) to an
 * interview session. Users are stored by a hash of their channel id, so the table holds no openid in clear.
 */
import type { Lang } from '../../questions/types.js';
import type { ChannelName } from '../types.js';

export interface ChannelBinding {
  channel: ChannelName;
  /** The WeChat account name, or the Bot Framework channelId (webchat, directline, msteams…). */
  account: string;
  /** userKey() of the channel's user id. */
  userKey: string;
  sessionId: string;
  lang: Lang;
  createdAt: Date;
  updatedAt: Date;
}

export interface BindingStore {
  get(channel: ChannelName, account: string, userKey: string): Promise<ChannelBinding | null>;
  /** Creates or replaces the binding of this user (a new code moves the user to another interview). */
  put(binding: ChannelBinding): Promise<void>;
  delete(channel: ChannelName, account: string, userKey: string): Promise<boolean>;
}

const keyOf = (channel: string, account: string, userKey: string) =>
  `${channel}\u0000${account}\u0000${userKey}`;

export function createMemoryBindingStore(): BindingStore {
  const rows = new Map<string, ChannelBinding>();
  return {
    async get(channel, account, userKey) {
      const b = rows.get(keyOf(channel, account, userKey));
      return b ? { ...b } : null;
    },
    async put(binding) {
      const k = keyOf(binding.channel, binding.account, binding.userKey);
      const old = rows.get(k);
      rows.set(k, { ...binding, createdAt: old?.createdAt ?? binding.createdAt });
    },
    async delete(channel, account, userKey) {
      return rows.delete(keyOf(channel, account, userKey));
    },
  };
}
