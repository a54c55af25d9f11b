import { registerErrorCodes } from '@countylink/platform';

export enum DiagnosisErrorCode {
  READ_NOT_FOUND = 'READ_NOT_FOUND',
  READ_INVALID_TRANSITION = 'READ_INVALID_TRANSITION',
  READ_CLAIMED_BY_ANOTHER = 'READ_CLAIMED_BY_ANOTHER',
  READ_NOT_ALLOWED = 'READ_NOT_ALLOWED',
  READ_ASSIGNEE_INVALID = 'READ_ASSIGNEE_INVALID',
  READ_ACCESSION_IN_USE = 'READ_ACCESSION_IN_USE',
  REPORT_INVALID = 'REPORT_INVALID',
  REPORT_TEMPLATE_NOT_FOUND = 'REPORT_TEMPLATE_NOT_FOUND',
  REPORT_TEMPLATE_EXISTS = 'REPORT_TEMPLATE_EXISTS',
  REPORT_TEMPLATE_STALE = 'REPORT_TEMPLATE_STALE',
  DICOM_NOT_FOUND = 'DICOM_NOT_FOUND',
  DICOM_UNSUPPORTED_MEDIA_TYPE = 'DICOM_UNSUPPORTED_MEDIA_TYPE',
  DICOM_MALFORMED_MULTIPART = 'DICOM_MALFORMED_MULTIPART',
  DICOM_PAYLOAD_TOO_LARGE = 'DICOM_PAYLOAD_TOO_LARGE',
  DICOM_TOO_MANY_UPLOADS = 'DICOM_TOO_MANY_UPLOADS',
  DICOM_NOT_RENDERABLE = 'DICOM_NOT_RENDERABLE',
  DICOM_BAD_QUERY = 'DICOM_BAD_QUERY',
}

registerErrorCodes<DiagnosisErrorCode>('diagnosis', {
  [DiagnosisErrorCode.READ_NOT_FOUND]: { status: 404, userMessage: '不存在或无权访问' },
  [DiagnosisErrorCode.READ_INVALID_TRANSITION]: { status: 409, userMessage: '当前状态不允许此操作，请刷新后重试' },
  [DiagnosisErrorCode.READ_CLAIMED_BY_ANOTHER]: { status: 409, userMessage: '该申请已被其他医生认领' },
  [DiagnosisErrorCode.READ_NOT_ALLOWED]: { status: 403, userMessage: '您无权进行此操作' },
  [DiagnosisErrorCode.READ_ASSIGNEE_INVALID]: {
    status: 422,
    userMessage: '所选医生不是该阅片科室的县级专科医生，请重新选择',
  },
  [DiagnosisErrorCode.READ_ACCESSION_IN_USE]: { status: 409, userMessage: '检查号已被本机构的其他申请使用' },
  [DiagnosisErrorCode.REPORT_INVALID]: { status: 422, userMessage: '报告内容不完整或不符合要求，请检查后再提交' },
  [DiagnosisErrorCode.REPORT_TEMPLATE_NOT_FOUND]: { status: 404, userMessage: '模板不存在或已被删除' },
  [DiagnosisErrorCode.REPORT_TEMPLATE_EXISTS]: { status: 409, userMessage: '该检查类型下已有同名模板' },
  [DiagnosisErrorCode.REPORT_TEMPLATE_STALE]: {
    status: 409,
    userMessage: '该模板已被他人修改，已刷新为最新内容，请重新编辑',
  },
  [DiagnosisErrorCode.DICOM_NOT_FOUND]: { status: 404, userMessage: '不存在或无权访问' },
  [DiagnosisErrorCode.DICOM_UNSUPPORTED_MEDIA_TYPE]: { status: 415, userMessage: '上传格式不受支持' },
  [DiagnosisErrorCode.DICOM_MALFORMED_MULTIPART]: { status: 400, userMessage: '上传数据不完整，请重试' },
  [DiagnosisErrorCode.DICOM_PAYLOAD_TOO_LARGE]: { status: 413, userMessage: '文件过大，超过了允许的上传大小' },
  [DiagnosisErrorCode.DICOM_TOO_MANY_UPLOADS]: {
    status: 429,
    userMessage: '同时上传的文件过多，请等当前上传完成后再试',
  },
  [DiagnosisErrorCode.DICOM_NOT_RENDERABLE]: { status: 406, userMessage: '该文件无法显示' },
  [DiagnosisErrorCode.DICOM_BAD_QUERY]: { status: 400, userMessage: '影像查询条件有误，请刷新后重试' },
});
