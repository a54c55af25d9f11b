import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space, Spin } from 'antd';
import { useParams } from 'react-router-dom';
import { ApiError } from '../api/http';
import { errorText } from '../api/error-text';
import { getRead, readKeys } from '../api/reads.api';
import { NotFoundResult } from '../common/not-found.result';
import { ReadSummary } from './read-summary.component';
import { ReadUpload } from './read-upload.component';
import { ReportCard } from './report-view.component';
import { StudyPictures } from './study-pictures.component';

/** One read for the doctor who asked: upload while it waits for images, then follow it to its report. */
export function ReadDetailPage() {
  const { id = '' } = useParams();
  const read = useQuery({ queryKey: readKeys.detail(id), queryFn: () => getRead(id) });
  // The upload results stay on screen after the read leaves `requested` (which is what they caused).
  const uploading = useRef(false);
  if (read.data?.status === 'requested') uploading.current = true;
  if (read.error instanceof ApiError && read.error.notFound) return <NotFoundResult />;
  if (read.isError) return <Alert type="error" showIcon message={errorText(read.error)} />;
  if (!read.data) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const r = read.data;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title="远程诊断申请">
        <ReadSummary read={r} />
      </Card>
      {uploading.current && (
        <Card title="上传检查文件">
          <ReadUpload readId={r.id} accepting={r.status === 'requested'} />
        </Card>
      )}
      <Card title="诊断报告">
        {r.reports.length === 0 ? (
          <Empty description={r.status === 'requested' ? '等待上传影像' : '县医院阅片中，报告签发后将实时显示'} />
        ) : (
          r.reports.map((rep) => <ReportCard key={rep.id} report={rep} />)
        )}
      </Card>
      <Card title="影像 / 心电图">
        <StudyPictures studyUids={r.studies.map((s) => s.studyInstanceUid)} />
      </Card>
    </Space>
  );
}
