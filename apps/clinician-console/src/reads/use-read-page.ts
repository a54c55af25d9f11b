import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TablePaginationConfig } from 'antd';
import { ReadFilters, readPageQuery } from '../api/reads.api';

/**
 * One page of reads at a time, paged by the server (`total` from GET /api/reads), so a list of 500
 * reads opens as fast as one of 50 and every read stays reachable. A push refetches only the page on
 * screen; the previous page stays visible while the next one loads.
 */
export function useReadPage(filters: Omit<ReadFilters, 'limit' | 'offset'>, pageSize: number) {
  const [page, setPage] = useState(1);
  const filterKey = JSON.stringify(filters);
  useEffect(() => setPage(1), [filterKey]);
  const reads = useQuery({ ...readPageQuery(filters, pageSize, page), placeholderData: keepPreviousData });
  const total = reads.data?.total ?? 0;
  // A list that shrank under the reader (reads claimed by others) never leaves them on an empty page.
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  useEffect(() => {
    if (reads.data && page > lastPage) setPage(lastPage);
  }, [reads.data, page, lastPage]);
  const pagination: TablePaginationConfig = {
    current: page,
    pageSize,
    total,
    hideOnSinglePage: true,
    showSizeChanger: false,
    showTotal: (n) => `共 ${n} 条`,
    onChange: setPage,
  };
  return { reads, rows: reads.data?.items ?? [], pagination };
}
