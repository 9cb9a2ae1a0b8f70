/**
 * Telling the expert that a channel could not deliver part of an interview (WeChat's customer-service quota ran
 * out, say): the applicant did not see a question, so a silence after it is not a refusal to answer.
 */
import type { AuditService } from '../../platform/audit/service.js';
import type { Db } from '../../platform/db/index.js';
import type { ChannelName } from '../types.js';

export interface DeliveryBlocked {
  sessionId: string;
  channel: ChannelName;
  account: string;
  /** Stable code, e.g. WECHAT_CS_QUOTA_EXHAUSTED. */
  code: string;
  /** The first transcript seq that did not reach the applicant. */
  seq: number | null;
  at: Date;
}

export interface ChannelNotesPort {
  deliveryBlocked(note: DeliveryBlocked): Promise<void>;
}

/** Records the note as an audit event on the interview session, which the expert desk reads with the transcript. */
export function createAuditChannelNotes(db: Db, audit: AuditService): ChannelNotesPort {
  return {
    async deliveryBlocked(note) {
      await db.transaction((tx) =>
        audit.append(tx, {
          actor: 'system',
          action: 'channel.delivery_blocked',
          entity: 'interview_session',
          entityId: note.sessionId,
          payload: { channel: note.channel, account: note.account, code: note.code, seq: note.seq },
        }),
      );
    },
  };
}
