import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, Space, Spin } from 'antd';
import { InstanceRef, renderedBlob, studyInstances } from '../api/dicomweb.api';
import { errorText } from '../api/error-text';

/** A blob fetched with the bearer token, shown through an object URL that is freed with the component. */
function useObjectUrl(load: () => Promise<Blob>, key: unknown[]) {
  const query = useQuery({ queryKey: key, queryFn: load, staleTime: Infinity, gcTime: 60_000 });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!query.data) return;
    const next = URL.createObjectURL(query.data);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [query.data]);
  return { url, error: query.error, loading: query.isLoading };
}

export function RenderedInstance({ instance, alt }: { instance: InstanceRef; alt: string }) {
  const { url, error, loading } = useObjectUrl(() => renderedBlob(instance), ['rendered', instance.sop]);
  if (error) return <Alert type="warning" showIcon message={errorText(error)} />;
  if (loading || !url) return <Spin />;
  return (
    <div style={{ overflowX: 'auto', background: '#fff', border: '1px solid #f0f0f0' }}>
      <img
        src={url}
        alt={alt}
        data-testid="rendered-instance"
        style={{ display: 'block', maxWidth: instance.modality === 'ECG' ? 'none' : '100%' }}
      />
    </div>
  );
}

export function useStudyInstances(studyUids: string[]) {
  return useQuery({
    queryKey: ['instances', ...studyUids],
    queryFn: async () => (await Promise.all(studyUids.map(studyInstances))).flat(),
    enabled: studyUids.length > 0,
  });
}

/** The server's pictures of every instance of the read's studies (the ECG as SVG, an X-ray as PNG). */
export function StudyPictures({ studyUids }: { studyUids: string[] }) {
  const instances = useStudyInstances(studyUids);
  if (studyUids.length === 0) return <Empty description="尚未上传影像" />;
  if (instances.isError) return <Alert type="warning" showIcon message={errorText(instances.error)} />;
  if (instances.isLoading) return <Spin />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {(instances.data ?? []).map((i) => (
        <RenderedInstance key={i.sop} instance={i} alt={`${i.modality ?? ''} 影像`} />
      ))}
    </Space>
  );
}
