import { ApiError } from './http';

const BY_CODE: Record<string, string> = {
  NOT_FOUND: '不存在或无权访问',
  READ_NOT_FOUND: '不存在或无权访问',
  DICOM_NOT_FOUND: '不存在或无权访问',
  READ_CLAIMED_BY_ANOTHER: '该申请已被其他医生认领',
  READ_INVALID_TRANSITION: '当前状态不允许此操作，请刷新后重试',
  READ_NOT_ALLOWED: '您无权进行此操作',
  READ_ACCESSION_IN_USE: '检查号已被本机构的其他申请使用',
  VALIDATION_FAILED: '填写的内容不符合要求',
  FORBIDDEN: '您的角色无权进行此操作',
  UNAUTHENTICATED: '登录已失效，请重新登录',
  DICOM_PAYLOAD_TOO_LARGE: '文件过大，超过了允许的上传大小',
  DICOM_UNSUPPORTED_MEDIA_TYPE: '上传格式不受支持',
  DICOM_MALFORMED_MULTIPART: '上传数据不完整，请重试',
  DICOM_NOT_RENDERABLE: '该文件无法显示',
};

/** A sentence for the clinician; the server's own words stay available in the console log. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const known = BY_CODE[err.code];
    if (err.code === 'VALIDATION_FAILED' && Array.isArray(err.details)) {
      const fields = (err.details as Array<{ field: string }>).map((d) => d.field).join('、');
      return `${known}：${fields}`;
    }
    if (known) return known;
    if (err.status >= 500) return '服务器暂时无法处理，请稍后重试';
    return `操作失败（${err.code}）`;
  }
  if (err instanceof TypeError) return '网络连接失败，请检查网络';
  return '操作失败，请重试';
}
