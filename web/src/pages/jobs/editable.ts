import type { Job, PatchJobRequest } from '@spectralnotify/client';

/**
 * The fields a PATCH may change, as the editor starts them: everything else the server keeps. An
 * unset timeout or unique key is left out (absent means unchanged; the person may type `null`).
 */
export function editableOf(job: Job): PatchJobRequest {
  return {
    type: job.type,
    queue: job.queue,
    priority: job.priority,
    maxRetries: job.maxRetries,
    ...(job.timeoutSeconds !== null ? { timeoutSeconds: job.timeoutSeconds } : {}),
    schedule: job.schedule,
    misfire: job.misfire,
    ...(job.uniqueKey !== null ? { uniqueKey: job.uniqueKey } : {}),
    payload: job.payload,
  };
}
