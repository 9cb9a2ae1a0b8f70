/**
 * The question bank an interview actually used, read from its stored snapshot: the bank is fixed when the session
 * opens, so the snapshot of any later turn still holds it. For the risk manager's report (src/questions), which must
 * show what was asked, not what the case would get today.
 */
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import type { QuestionBank } from '../../questions/types.js';
import { interviewSessions } from '../tables.js';

export interface InterviewBank {
  sessionId: string;
  caseId: string;
  status: string;
  startedAt: Date;
  bank: QuestionBank;
}

type Row = Pick<
  typeof interviewSessions.$inferSelect,
  'id' | 'caseId' | 'status' | 'createdAt' | 'bank' | 'snapshot'
>;

const columns = {
  id: interviewSessions.id,
  caseId: interviewSessions.caseId,
  status: interviewSessions.status,
  createdAt: interviewSessions.createdAt,
  bank: interviewSessions.bank,
  snapshot: interviewSessions.snapshot,
};

function toInterviewBank(r: Row | undefined): InterviewBank | null {
  // The bank has its own column; sessions opened before it carry it inside the snapshot.
  const bank =
    (r?.bank as QuestionBank | null | undefined) ??
    (r?.snapshot as { state?: { bank?: QuestionBank } } | undefined)?.state?.bank;
  if (!r || !bank) return null;
  return { sessionId: r.id, caseId: r.caseId, status: r.status, startedAt: r.createdAt, bank };
}

export function createInterviewBankLookup(db: Db) {
  return {
    /** The bank of the case's most recently started interview, or null when it has none. */
    async latestOf(caseId: string): Promise<InterviewBank | null> {
      const [r] = await db
        .select(columns)
        .from(interviewSessions)
        .where(eq(interviewSessions.caseId, caseId))
        .orderBy(desc(interviewSessions.createdAt), desc(interviewSessions.id))
        .limit(1);
      return toInterviewBank(r);
    },
    async ofSession(sessionId: string): Promise<InterviewBank | null> {
      const [r] = await db.select(columns).from(interviewSessions).where(eq(interviewSessions.id, sessionId));
      return toInterviewBank(r);
    },
  };
}

export type InterviewBankLookup = ReturnType<typeof createInterviewBankLookup>;
