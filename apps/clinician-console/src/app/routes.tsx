import { lazy, ReactNode } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { Session } from '../auth/session';
import { prefetchWorklist } from '../worklist/worklist-defaults';
import {
  BarChartOutlined,
  CalendarOutlined,
  FileImageOutlined,
  FileTextOutlined,
  ScheduleOutlined,
  SwapOutlined,
  UnorderedListOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';

/**
 * Every screen of the console, who may open it, and whether the side menu lists it. The menu and the
 * router are both made from this list, so a screen a role may not use is neither offered nor
 * reachable. A new screen is one more entry here.
 */
export interface Screen {
  path: string;
  label: string;
  roles: readonly string[];
  /** Listed in the side menu (detail screens are reached from a list instead). */
  icon?: ReactNode;
  element: ReactNode;
  /** Starts the screen's first queries while its lazy code loads (no fetch waits for a chunk). */
  prefetch?: (client: QueryClient, session: Session) => void;
}

const TownshipReadsPage = lazy(() =>
  import('../reads/township-reads.page').then((m) => ({ default: m.TownshipReadsPage })),
);
const ReadDetailPage = lazy(() => import('../reads/read-detail.page').then((m) => ({ default: m.ReadDetailPage })));
const WorklistPage = lazy(() => import('../worklist/worklist.page').then((m) => ({ default: m.WorklistPage })));
const ReadingPage = lazy(() => import('../worklist/reading.page').then((m) => ({ default: m.ReadingPage })));
const MyReferralsPage = lazy(() =>
  import('../referrals/my-referrals.page').then((m) => ({ default: m.MyReferralsPage })),
);
const ReferralDetailPage = lazy(() =>
  import('../referrals/referral-detail.page').then((m) => ({ default: m.ReferralDetailPage })),
);
const ReferralDeskPage = lazy(() =>
  import('../referrals/referral-desk.page').then((m) => ({ default: m.ReferralDeskPage })),
);
const BookingPage = lazy(() => import('../booking/booking.page').then((m) => ({ default: m.BookingPage })));
const KpiPage = lazy(() => import('../admin/kpi.page').then((m) => ({ default: m.KpiPage })));
const SchedulesAdminPage = lazy(() =>
  import('../admin/schedules-admin.page').then((m) => ({ default: m.SchedulesAdminPage })),
);
const ReportTemplatesPage = lazy(() =>
  import('../admin/report-templates.page').then((m) => ({ default: m.ReportTemplatesPage })),
);

const REQUESTERS = ['township-doctor', 'family-doctor'] as const;
const READERS = ['county-specialist'] as const;
const REFERRAL_DESK = ['referral-coordinator', 'county-specialist'] as const;
const ADMIN = ['group-admin'] as const;

export const SCREENS: Screen[] = [
  { path: '/reads', label: '远程诊断', roles: REQUESTERS, icon: <FileImageOutlined />, element: <TownshipReadsPage /> },
  { path: '/reads/:id', label: '诊断报告', roles: REQUESTERS, element: <ReadDetailPage /> },
  {
    path: '/worklist',
    label: '工作列表',
    roles: READERS,
    icon: <UnorderedListOutlined />,
    element: <WorklistPage />,
    prefetch: prefetchWorklist,
  },
  { path: '/worklist/:id', label: '阅片与报告', roles: READERS, element: <ReadingPage /> },
  {
    path: '/referral-desk',
    label: '转诊工作台',
    roles: REFERRAL_DESK,
    icon: <UsergroupAddOutlined />,
    element: <ReferralDeskPage />,
  },
  { path: '/referrals', label: '我的转诊', roles: REQUESTERS, icon: <SwapOutlined />, element: <MyReferralsPage /> },
  // Reserved places are for family doctors' referrals only: a township doctor is not offered the screen at all.
  { path: '/booking', label: '预约', roles: ['family-doctor'], icon: <CalendarOutlined />, element: <BookingPage /> },
  { path: '/admin/kpis', label: '医共体管理', roles: ADMIN, icon: <BarChartOutlined />, element: <KpiPage /> },
  {
    path: '/admin/schedules',
    label: '号源与预留',
    roles: ADMIN,
    icon: <ScheduleOutlined />,
    element: <SchedulesAdminPage />,
  },
  {
    path: '/admin/report-templates',
    label: '报告模板',
    roles: ADMIN,
    icon: <FileTextOutlined />,
    element: <ReportTemplatesPage />,
  },
  // Last: the home page opens a user's first screen, which must be a list, not this detail.
  {
    path: '/referrals/:id',
    label: '转诊详情',
    roles: [...REQUESTERS, ...REFERRAL_DESK, ...ADMIN],
    element: <ReferralDetailPage />,
  },
];

export function screensFor(roles: readonly string[]): Screen[] {
  return SCREENS.filter((s) => s.roles.some((r) => roles.includes(r)));
}
