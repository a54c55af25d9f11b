import { useState } from 'react';
import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { List, Progress, Typography, Upload } from 'antd';
import { readKeys } from '../api/reads.api';
import { stowFile } from '../api/stow-upload';

interface FileRow {
  uid: string;
  name: string;
  percent: number;
  state: 'uploading' | 'stored' | 'refused';
  message?: string;
}

/**
 * Drag-and-drop STOW-RS for a read waiting for images: each file its own request, progress bar and
 * answer (a refused file says why, in words; the others go on). The server files each upload under
 * the read by its accession number or, failing that, by patient and modality — only while the read
 * waits for images, so the drop zone goes once they are in (the results stay).
 */
export function ReadUpload({ readId, accepting }: { readId: string; accepting: boolean }) {
  const [rows, setRows] = useState<FileRow[]>([]);
  const queryClient = useQueryClient();
  const update = (uid: string, change: Partial<FileRow>) =>
    setRows((list) => list.map((r) => (r.uid === uid ? { ...r, ...change } : r)));

  const upload = async (file: File, uid: string) => {
    setRows((list) => [...list, { uid, name: file.name, percent: 0, state: 'uploading' }]);
    const outcome = await stowFile(file, (percent) => update(uid, { percent }));
    if (outcome.ok) update(uid, { percent: 100, state: 'stored' });
    else update(uid, { state: 'refused', message: outcome.message });
    void queryClient.invalidateQueries({ queryKey: readKeys.detail(readId) });
  };

  return (
    <div>
      {accepting && (
        <Upload.Dragger
          multiple
          showUploadList={false}
          beforeUpload={(file) => {
            void upload(file, file.uid);
            return false; // the upload is ours (XHR with progress), not antd's
          }}
          data-testid="read-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">将心电图或X线 DICOM 文件拖到此处，或点击选择文件</p>
          <p className="ant-upload-hint">可一次选择多个文件，每个文件单独上传并显示结果</p>
        </Upload.Dragger>
      )}
      {rows.length > 0 && (
        <List
          size="small"
          style={{ marginTop: 12 }}
          dataSource={rows}
          renderItem={(r) => (
            <List.Item key={r.uid} data-testid="upload-row" data-state={r.state}>
              <div style={{ width: '100%' }}>
                <Typography.Text>{r.name}</Typography.Text>
                <Progress
                  percent={r.percent}
                  size="small"
                  status={r.state === 'refused' ? 'exception' : r.state === 'stored' ? 'success' : 'active'}
                />
                {r.state === 'stored' && <Typography.Text type="success">上传成功</Typography.Text>}
                {r.state === 'refused' && <Typography.Text type="danger">未上传：{r.message}</Typography.Text>}
              </div>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
