import { useQuery } from '@tanstack/react-query';
import { api } from './http';

export interface Institution {
  id: string;
  name: string;
  kind: string;
  departments: Array<{ id: string; name: string }>;
}

export interface Member {
  id: string;
  name: string;
  institutionId: string;
  departmentId: string | null;
  roles: string[];
  /** Place on the alert ladder: on-duty, department-head or coordinator. */
  duty: string | null;
}

/** The directory changes rarely: fetched once a session (so also ahead of a screen, by its prefetch). */
export const directoryQueries = {
  institutions: {
    queryKey: ['directory', 'institutions'],
    queryFn: () => api<Institution[]>('/api/directory/institutions'),
    staleTime: Infinity,
  },
  members: {
    queryKey: ['directory', 'members'],
    queryFn: () => api<Member[]>('/api/directory/members'),
    staleTime: Infinity,
  },
} as const;

/** Names on ids, from the directory. */
export function useDirectory() {
  const institutions = useQuery(directoryQueries.institutions);
  const members = useQuery(directoryQueries.members);
  const institutionName = (id: string | null | undefined) =>
    id ? (institutions.data?.find((i) => i.id === id)?.name ?? id) : '—';
  const memberName = (id: string | null | undefined) =>
    id ? (members.data?.find((m) => m.id === id)?.name ?? id) : '—';
  const departmentName = (institutionId: string | null | undefined, id: string | null | undefined) =>
    id
      ? (institutions.data?.find((i) => i.id === institutionId)?.departments.find((d) => d.id === id)?.name ?? id)
      : '—';
  const townships = (institutions.data ?? []).filter((i) => i.kind !== 'county-hospital');
  return {
    institutionName,
    memberName,
    departmentName,
    townships,
    institutions: institutions.data ?? [],
    members: members.data ?? [],
  };
}
