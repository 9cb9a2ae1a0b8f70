/**
 * Server state of the recordings pages through the generated client and React Query; the response types come from
 * the OpenAPI document (src/review/dto.ts). Every GET of one recording, its timeline, a recompute and an export is
 * logged by the server as a viewing: the recording and its timeline are read afresh each time the page opens (never
 * shown from the cache alone, which would be a viewing the log misses), and not otherwise refetched (the console
 * turns window-focus refetches off).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { paths } from '../../api/schema.js';
import { useAuth } from './auth.js';
import { type RecordingFilter, type TimelineEntry, filterToQuery } from './recordingModel.js';

type Json<P> = P extends { content: { 'application/json': infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;

/** A row of GET /recordings. */
export type RecordingRow = Ok<paths['/api/v1/recordings']['get']>[number];
/** GET /recordings/:id: the recording document with its hashes, anchor, consents, holds and findings. */
export type RecordingDetail = Ok<paths['/api/v1/recordings/{sessionId}']['get']>;
export type Hold = RecordingDetail['holds'][number];
export type Finding = RecordingDetail['findings'][number];
type ServerTimeline = Ok<paths['/api/v1/recordings/{sessionId}/timeline']['get']>;
/** The timeline with the policy's recorded reasons read as recordingModel.ts's DecisionReasons. */
export type Timeline = Omit<ServerTimeline, 'entries'> & { entries: TimelineEntry[] };
export type ViewEntry = Ok<paths['/api/v1/recordings/{sessionId}/views']['get']>[number];
export type RecomputeReport = Ok<paths['/api/v1/recordings/{sessionId}/recompute']['get']>;
/** POST /recordings/verify-bundle (src/review/bundle.ts BundleCheck). */
export type BundleCheck = Ok<paths['/api/v1/recordings/verify-bundle']['post']>;
export type SigningKey = Ok<paths['/api/v1/recordings/signing-key']['get']>;
/** The signed export bundle (src/review/bundle.ts Bundle). */
export type Bundle = Ok<paths['/api/v1/recordings/{sessionId}/export']['get']>;

/** The applicant of a case as the server shows it to this user (masked without `case:pii`). */
export interface CaseApplicant {
  name: string;
  business_name: string | null;
}

const KEY = 'recordings';
const one = (id: string) => [KEY, 'one', id] as const;

export function useRecordingSearch(filter: RecordingFilter) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [KEY, 'search', filter],
    queryFn: () =>
      api.call(api.typed.GET('/api/v1/recordings', { params: { query: filterToQuery(filter) } })),
    placeholderData: keepPreviousData,
  });
}

export function useRecording(sessionId: string) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [...one(sessionId), 'doc'],
    queryFn: () =>
      api.call(api.typed.GET('/api/v1/recordings/{sessionId}', { params: { path: { sessionId } } })),
    refetchOnMount: 'always',
  });
}

export function useTimeline(sessionId: string) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [...one(sessionId), 'timeline'],
    // The one place the recorded reasons are read as DecisionReasons (see Timeline).
    queryFn: () =>
      api.call(
        api.typed.GET('/api/v1/recordings/{sessionId}/timeline', { params: { path: { sessionId } } }),
      ) as Promise<Timeline>,
    refetchOnMount: 'always',
  });
}

/** The view log; `enabled` waits for the viewings of this page to be logged first. */
export function useViewLog(sessionId: string, enabled: boolean) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [...one(sessionId), 'views'],
    queryFn: () =>
      api.call(api.typed.GET('/api/v1/recordings/{sessionId}/views', { params: { path: { sessionId } } })),
    enabled,
  });
}

export function useCaseApplicant(caseId: string | undefined) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [KEY, 'case', caseId],
    queryFn: async () => {
      const c = await api.call(api.typed.GET('/api/v1/cases/{id}', { params: { path: { id: caseId! } } }));
      return { name: c.applicant.name, business_name: c.applicant.business_name } satisfies CaseApplicant;
    },
    enabled: Boolean(caseId),
    staleTime: 5 * 60_000,
  });
}

export function useSigningKey() {
  const { api } = useAuth();
  return useQuery({
    queryKey: [KEY, 'signing-key'],
    queryFn: () => api.call(api.typed.GET('/api/v1/recordings/signing-key')),
    staleTime: Infinity,
  });
}

/** After a change, the recording (holds, findings) and the view log are read again, and the list. */
function useRefresh(sessionId: string) {
  const qc = useQueryClient();
  return async () => {
    await qc.invalidateQueries({ queryKey: [...one(sessionId), 'doc'] });
    await qc.invalidateQueries({ queryKey: [...one(sessionId), 'views'] });
    await qc.invalidateQueries({ queryKey: [KEY, 'search'] });
  };
}

export function usePlaceHold(sessionId: string) {
  const { api } = useAuth();
  const refresh = useRefresh(sessionId);
  return useMutation({
    mutationFn: (reason: string) =>
      api.call(
        api.typed.POST('/api/v1/recordings/{sessionId}/hold', {
          params: { path: { sessionId } },
          body: { reason },
        }),
      ),
    onSuccess: refresh,
  });
}

export function useReleaseHold(sessionId: string) {
  const { api } = useAuth();
  const refresh = useRefresh(sessionId);
  return useMutation({
    mutationFn: (reason: string) =>
      api.call(
        api.typed.POST('/api/v1/recordings/{sessionId}/hold/release', {
          params: { path: { sessionId } },
          body: { reason },
        }),
      ),
    onSuccess: refresh,
  });
}

export type FindingInput = NonNullable<
  paths['/api/v1/recordings/{sessionId}/findings']['post']['requestBody']
>['content']['application/json'];

export function useMarkFinding(sessionId: string) {
  const { api } = useAuth();
  const refresh = useRefresh(sessionId);
  return useMutation({
    mutationFn: (body: FindingInput) =>
      api.call(
        api.typed.POST('/api/v1/recordings/{sessionId}/findings', { params: { path: { sessionId } }, body }),
      ),
    onSuccess: refresh,
  });
}

export function usePurge(sessionId: string) {
  const { api } = useAuth();
  const refresh = useRefresh(sessionId);
  return useMutation({
    mutationFn: () =>
      api.call(api.typed.POST('/api/v1/recordings/{sessionId}/purge', { params: { path: { sessionId } } })),
    onSuccess: refresh,
  });
}

export function useRecompute(sessionId: string) {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.call(
        api.typed.GET('/api/v1/recordings/{sessionId}/recompute', { params: { path: { sessionId } } }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...one(sessionId), 'views'] }),
  });
}

/** The signed bundle as received (its text, to save byte for byte) and parsed (to verify). */
export interface ExportedBundle {
  text: string;
  bundle: Bundle;
}

/**
 * Downloads the export bundle as a stream, reporting bytes received and the announced length (null without a
 * Content-Length), so the page can show its progress while the server makes it and sends it.
 */
export function useExport(sessionId: string, onProgress: (received: number, total: number | null) => void) {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<ExportedBundle> => {
      const p = api.typed.GET('/api/v1/recordings/{sessionId}/export', {
        params: { path: { sessionId } },
        parseAs: 'stream',
      });
      const stream = await api.call<ReadableStream<Uint8Array> | null>(p);
      const { response } = await p;
      const length = Number(response.headers.get('content-length'));
      const total = Number.isFinite(length) && length > 0 ? length : null;
      const chunks: Uint8Array[] = [];
      let received = 0;
      onProgress(0, total);
      if (stream) {
        const reader = stream.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          received += value.byteLength;
          onProgress(received, total);
        }
      }
      const text = new TextDecoder().decode(await new Blob(chunks as BlobPart[]).arrayBuffer());
      return { text, bundle: JSON.parse(text) as ExportedBundle['bundle'] };
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: [...one(sessionId), 'views'] }),
  });
}

export function useVerifyBundle() {
  const { api } = useAuth();
  return useMutation({
    mutationFn: (bundle: Record<string, unknown>) =>
      api.call(api.typed.POST('/api/v1/recordings/verify-bundle', { body: bundle })),
  });
}
