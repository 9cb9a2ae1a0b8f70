/** The channels' share of the process-wide context: durable bindings, expert notes and channel settings. */
import type { AuditService } from '../../platform/audit/service.js';
import type { Db } from '../../platform/db/index.js';
import { loadBotFrameworkAuth } from '../botframework/config.js';
import { loadWechatConfig } from '../wechat/config.js';
import { createAuditChannelNotes } from './notes.js';
import { createPgBindingStore } from './store.pg.js';

export function createChannelsContext(deps: {
  db: Db;
  audit: AuditService;
  env: Record<string, string | undefined>;
}) {
  return {
    bindings: createPgBindingStore(deps.db),
    notes: createAuditChannelNotes(deps.db, deps.audit),
    wechat: loadWechatConfig(deps.env),
    botframework: loadBotFrameworkAuth(deps.env),
  };
}

export type ChannelsContext = ReturnType<typeof createChannelsContext>;
