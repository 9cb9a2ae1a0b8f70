/**
 * The way in for channels: an interview session token (from the invitation check) becomes a live dialog session.
 * The dialog engine stays ignorant of cases and channels; this module joins them through a small port.
 */
import type { InterviewPort } from '../channels/ws/connection.js';
import { forbidden } from '../platform/errors.js';
import type { Lang } from '../questions/types.js';
import type { DialogService } from './session/service.js';

export interface InterviewAccessPort {
  /**
   * The invitation and case of an interview session token, the case's branch path (for staff data scope) and
   * whether the applicant consented to the recording; throws 401 SESSION_INVALID / SESSION_EXPIRED.
   */
  resolveSessionToken(
    token: string,
  ): Promise<{ caseId: string; invitationId: string; branchPath: string; recordingConsented: boolean }>;
}

export function createInterviewGateway(deps: {
  access: InterviewAccessPort;
  dialog: DialogService;
}): InterviewPort {
  return {
    async open(token: string, lang: Lang | undefined) {
      const { caseId, invitationId, branchPath, recordingConsented } =
        await deps.access.resolveSessionToken(token);
      if (!recordingConsented) {
        throw forbidden(
          'CONSENT_REQUIRED',
          'The applicant has not consented to the recording of the interview',
        );
      }
      const { session } = await deps.dialog.startOrResume({
        caseId,
        invitationId,
        branchPath,
        lang: lang ?? 'zh-CN',
      });
      return session;
    },
    handleTurn: (input) => deps.dialog.handleTurn(input),
    transcriptAfter: (sessionId, afterSeq, limit) => deps.dialog.transcriptAfter(sessionId, afterSeq, limit),
  };
}
