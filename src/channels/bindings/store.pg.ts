/** The binding store on the database (PostgreSQL or PGlite), with the contract of the memory twin. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import type { ChannelName } from '../types.js';
import { channelBindings } from './tables.js';
import type { BindingStore, ChannelBinding } from './types.js';

export function createPgBindingStore(db: Db): BindingStore {
  const where = (channel: ChannelName, account: string, userKey: string) =>
    and(
      eq(channelBindings.channel, channel),
      eq(channelBindings.account, account),
      eq(channelBindings.userKey, userKey),
    );
  return {
    async get(channel, account, userKey) {
      const [r] = await db
        .select()
        .from(channelBindings)
        .where(where(channel, account, userKey))
        .limit(1);
      return r ? (r satisfies ChannelBinding) : null;
    },
    async put(b) {
      await db
        .insert(channelBindings)
        .values(b)
        .onConflictDoUpdate({
          target: [channelBindings.channel, channelBindings.account, channelBindings.userKey],
          set: { sessionId: b.sessionId, lang: b.lang, updatedAt: b.updatedAt },
        });
    },
    async delete(channel, account, userKey) {
      const rows = await db
        .delete(channelBindings)
        .where(where(channel, account, userKey))
        .returning({ k: channelBindings.userKey });
      return rows.length > 0;
    },
  };
}
