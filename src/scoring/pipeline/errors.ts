/** Error codes of the scoring pipeline. */
import { AppError, conflict, notFound } from '../../platform/errors.js';

export const resultNotFound = (id: string) => notFound('pipeline_result', id);

export const sessionNotFound = (id: string) => notFound('session', id);

export const jobNotFound = (sessionId: string) => notFound('pipeline_job', sessionId);

/** A stored result whose inputs no longer hash to the recorded hash: the row was altered. */
export const resultTampered = (id: string, details: Record<string, unknown>) =>
  new AppError('PIPELINE_RESULT_TAMPERED', 409, 'The stored inputs of this result do not match their hash', {
    id,
    ...details,
  });

/** Only a job that gave up can be put back: a pending or running one will run, a done one has its result. */
export const jobNotFailed = (sessionId: string, status: string) =>
  conflict(
    'PIPELINE_JOB_NOT_FAILED',
    `The scoring job is ${status}, not failed: there is nothing to re-queue`,
    {
      session_id: sessionId,
      status,
    },
  );
