import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';

const KpiBarChart = lazy(() => import('./kpi-charts.component'));

/** A KPI chart, loaded with ECharts on first use (the only place the page touches the chart module). */
export function ChartSlot(props: Parameters<typeof KpiBarChart>[0]) {
  return (
    <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
      <KpiBarChart {...props} />
    </Suspense>
  );
}
