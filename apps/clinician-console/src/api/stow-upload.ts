import { currentToken, unauthorized } from './http';

export type UploadOutcome = { ok: true; studyUid: string | null } | { ok: false; message: string };

/** FailureReason (0008,1197) of a refused instance, in the words a township doctor acts on. */
const FAILURE_REASONS: Record<number, string> = {
  0xa700: '文件头过大，服务器拒收',
  0xa900: '文件内容与其类型不符（缺少必需信息或患者不一致）',
  0xc000: '无法识别：不是 DICOM 文件，或文件已损坏',
  0x0110: '服务器处理失败，请重试',
  0x0111: '已有另一个不同的文件使用了相同的实例编号',
  0x0122: '不支持的检查类型（本医共体只接收心电图和 X 线影像等）',
  0x0124: '该检查属于其他机构，无权上传',
};

type DicomJson = Record<string, { vr: string; Value?: Array<Record<string, { Value?: unknown[] }> | unknown> }>;

function refusal(body: DicomJson | null): string {
  const failed = body?.['00081198']?.Value?.[0] as Record<string, { Value?: unknown[] }> | undefined;
  const reason = Number(failed?.['00081197']?.Value?.[0]);
  const comment = failed?.['00000902']?.Value?.[0];
  const words = FAILURE_REASONS[reason] ?? '服务器拒收了该文件';
  return comment ? `${words}（${String(comment)}）` : words;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * STOW-RS of one file (multipart/related; type="application/dicom"), built in the browser. One
 * request per file so each has its own progress and its own answer; XHR because fetch cannot
 * report upload progress.
 */
export function stowFile(file: File, onProgress: (percent: number) => void): Promise<UploadOutcome> {
  const boundary = `countylink-${crypto.randomUUID()}`;
  const body = new Blob([`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, file, `\r\n--${boundary}--\r\n`]);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/dicomweb/studies');
    xhr.setRequestHeader('Content-Type', `multipart/related; type="application/dicom"; boundary=${boundary}`);
    xhr.setRequestHeader('Accept', 'application/dicom+json');
    const token = currentToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => resolve({ ok: false, message: '网络错误，上传未完成，请重试' });
    xhr.onload = () => {
      const json = parse(xhr.responseText);
      if (xhr.status === 401) {
        unauthorized();
        return resolve({ ok: false, message: '登录已失效，请重新登录' });
      }
      if (xhr.status === 200) {
        const url = (json as DicomJson | null)?.['00081190']?.Value?.[0];
        return resolve({ ok: true, studyUid: typeof url === 'string' ? (url.split('/studies/')[1] ?? null) : null });
      }
      if (xhr.status === 409 || xhr.status === 202)
        return resolve({ ok: false, message: refusal(json as DicomJson | null) });
      // The server's sentence for the clinician; else its developer message; else the status.
      const error = (json as { error?: { code?: string; message?: string; userMessage?: string } } | null)?.error;
      resolve({
        ok: false,
        message:
          error?.userMessage || (error?.message ? `上传失败（${error.message}）` : `上传失败（HTTP ${xhr.status}）`),
      });
    };
    xhr.send(body);
  });
}
