import { lazy, ReactNode } from 'react';
import { FileImageOutlined, UnorderedListOutlined } from '@ant-design/icons';

/**
 * Every screen of the console, who may open it, and whether the side menu lists it. The menu and the
 * router are both made from this list, so a screen a role may not use is neither offered nor
 * reachable. A new screen (我的转诊, 预约, 转诊中心, 医共体管理) is one more entry here.
 */
export interface Screen {
  path: string;
  label: string;
  roles: readonly string[];
  /** Listed in the side menu (detail screens are reached from a list instead). */
  icon?: ReactNode;
  element: ReactNode;
}

const TownshipReadsPage = lazy(() => import('../reads/township-reads.page').then((m) => ({ default: m.TownshipReadsPage })));
const ReadDetailPage = lazy(() => import('../reads/read-detail.page').then((m) => ({ default: m.ReadDetailPage })));
const WorklistPage = lazy(() => import('../worklist/worklist.page').then((m) => ({ default: m.WorklistPage })));
const ReadingPage = lazy(() => import('../worklist/reading.page').then((m) => ({ default: m.ReadingPage })));

const REQUESTERS = ['township-doctor', 'family-doctor'] as const;
const READERS = ['county-specialist'] as const;

export const SCREENS: Screen[] = [
  { path: '/reads', label: '远程诊断', roles: REQUESTERS, icon: <FileImageOutlined />, element: <TownshipReadsPage /> },
  { path: '/reads/:id', label: '诊断报告', roles: REQUESTERS, element: <ReadDetailPage /> },
  { path: '/worklist', label: '工作列表', roles: READERS, icon: <UnorderedListOutlined />, element: <WorklistPage /> },
  { path: '/worklist/:id', label: '阅片与报告', roles: READERS, element: <ReadingPage /> },
];

export function screensFor(roles: readonly string[]): Screen[] {
  return SCREENS.filter((s) => s.roles.some((r) => roles.includes(r)));
}
