import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Which interview session a channel user is talking to; the user is a SHA-256 of their channel id, never in clear. */
export const channelBindings = pgTable(
  'channel_bindings',
  {
    channel: text('channel', { enum: ['websocket', 'wechat', 'botframework'] }).notNull(),
    account: text('account').notNull(),
    userKey: text('user_key').notNull(),
    sessionId: text('session_id').notNull(),
    lang: text('lang', { enum: ['zh-CN', 'en-US'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.channel, t.account, t.userKey] }),
    index('channel_bindings_session_idx').on(t.sessionId),
  ],
);
