/** Server state of the console, through the generated client and React Query's cache. */
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { useAuth } from './auth.js';

type Json<P> = P extends { content: { 'application/json': infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;

export type Me = Ok<paths['/api/v1/me']['get']>;
export type Branch = Ok<paths['/api/v1/branches']['get']>[number];
export type User = Ok<paths['/api/v1/users']['get']>[number];
export type UserCreate = NonNullable<
  paths['/api/v1/users']['post']['requestBody']
>['content']['application/json'];

export function useMe() {
  const { api, token } = useAuth();
  return useQuery({
    queryKey: ['me', token],
    queryFn: () => api.call(api.typed.GET('/api/v1/me')),
    enabled: Boolean(token),
  });
}

export function useBranches() {
  const { api } = useAuth();
  return useQuery({ queryKey: ['branches'], queryFn: () => api.call(api.typed.GET('/api/v1/branches')) });
}

export function useUsers() {
  const { api } = useAuth();
  return useQuery({ queryKey: ['users'], queryFn: () => api.call(api.typed.GET('/api/v1/users')) });
}

/** A case row as far as the console shows it; the case API is still being built. */
export interface CaseRow {
  id: string;
  status?: string;
  applicant_name?: string;
  applicant?: { name?: string };
  created_at?: string;
  [k: string]: unknown;
}

/** The case list, or `null` while the server has no such endpoint. */
export function useCases() {
  const { api } = useAuth();
  return useQuery({
    queryKey: ['cases'],
    queryFn: async () => {
      try {
        const r = await api.request<CaseRow[] | { items: CaseRow[] }>('GET', '/api/v1/cases');
        return Array.isArray(r) ? r : (r.items ?? []);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'ROUTE_NOT_FOUND') return null;
        throw e;
      }
    },
  });
}
