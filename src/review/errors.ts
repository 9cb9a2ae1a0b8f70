/** Error codes of the review module (docs/review.md lists them with their meaning). */
import { AppError, conflict, forbidden, notFound, unavailable, unprocessable } from '../platform/errors.js';

export const recordingNotFound = (sessionId: string) => notFound('recording', sessionId);
export const reviewNotFound = (sessionId: string) => notFound('review', sessionId);

export const interviewNotEnded = (sessionId: string, status: string) =>
  new AppError('INTERVIEW_NOT_ENDED', 409, 'The interview has not ended; it has no recording yet', {
    sessionId,
    status,
  });

export const notAssigned = (sessionId: string) =>
  forbidden('REVIEW_NOT_ASSIGNED', `The review of interview ${sessionId} is not assigned to you`);

export const claimTaken = (sessionId: string, until: Date | null) =>
  conflict('REVIEW_ALREADY_CLAIMED', 'Another expert holds this review', {
    sessionId,
    claimExpiresAt: until?.toISOString() ?? null,
  });

export const claimLimit = (limit: number) =>
  conflict('REVIEW_CLAIM_LIMIT', `You already hold ${limit} reviews; give an opinion or release one first`, {
    limit,
  });

export const queueEmpty = () => notFound('review_queue_item');

export const versionConflict = (sessionId: string, expected: number, actual: number) =>
  conflict('REVIEW_VERSION_CONFLICT', 'The review changed since you loaded it; reload and try again', {
    sessionId,
    expectedVersion: expected,
    currentVersion: actual,
  });

export const alreadyDecided = (sessionId: string) =>
  conflict('OPINION_ALREADY_GIVEN', 'An opinion on this interview has already been given', { sessionId });

export const opinionInvalid = (message: string, details: Record<string, unknown> = {}) =>
  unprocessable('OPINION_INVALID', message, details);

export const onHold = (sessionId: string) =>
  conflict('RECORDING_ON_HOLD', 'The recording is under legal hold and cannot be purged', { sessionId });

export const alreadyHeld = (sessionId: string) =>
  conflict('RECORDING_ALREADY_HELD', 'The recording is already under legal hold', { sessionId });

export const noActiveHold = (sessionId: string) => notFound('hold', sessionId);

export const alreadyPurged = (sessionId: string) =>
  conflict('RECORDING_PURGED', 'The recording’s content was purged by the retention policy', { sessionId });

export const retentionNotElapsed = (sessionId: string, from: Date) =>
  conflict('RETENTION_NOT_ELAPSED', 'The recording must be kept until its retention period ends', {
    sessionId,
    purgeableFrom: from.toISOString(),
  });

export const seqNotInRecording = (sessionId: string, seq: number) =>
  unprocessable('SEQ_NOT_IN_RECORDING', 'The recording has no line with this seq', { sessionId, seq });

export const replayUnavailable = () =>
  unavailable('REPLAY_UNAVAILABLE', 'Interviews cannot be recomputed on this service');
