import type { QueryClient } from '@tanstack/react-query';
import { directoryQueries } from '../api/directory.api';
import { readPageQuery } from '../api/reads.api';
import type { Session } from '../auth/session';
import type { WorklistFilterValues } from './worklist-filters.component';

const READING_DEPARTMENTS = ['ecg-room', 'radiology'];
/** A screenful at 1440×900, priority first: rendering 50 antd rows cost the first open ~0.5 s more. */
export const WORKLIST_PAGE_SIZE = 20;

/** The desk's own department is the default filter, so the ECG room opens on ECGs. */
export function initialWorklistFilters(session: Session): WorklistFilterValues {
  return {
    department: session.departmentId && READING_DEPARTMENTS.includes(session.departmentId) ? session.departmentId : '',
    modality: '',
    township: '',
    status: 'ready,claimed',
  };
}

/** The screen's filters as GET /api/reads takes them (the township filter is the server's too). */
export function worklistReadFilters(f: WorklistFilterValues) {
  return { status: f.status, modality: f.modality, department: f.department, requestedBy: f.township };
}

/** Asked for while the screen's code is still loading, so the first rows need no second wait. */
export function prefetchWorklist(client: QueryClient, session: Session): void {
  void client.prefetchQuery(readPageQuery(worklistReadFilters(initialWorklistFilters(session)), WORKLIST_PAGE_SIZE, 1));
  void client.prefetchQuery(directoryQueries.institutions);
  void client.prefetchQuery(directoryQueries.members);
}
