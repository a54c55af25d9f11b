import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { ParsedSetting, toInt } from '@countylink/platform';
import { CallingAeMap } from './dimse/calling-ae.map';
import { DeadlineTable, parseDeadlineTable, parseDepartmentTable } from './reads/read-rules';

// A calling AE title, the addresses it may call from, and its institution (see DICOM_DIMSE_AE_MAP).
const AE_ADDRESS = String.raw`(\*|[0-9A-Fa-f:.]+(\/\d{1,3})?)`;
const AE_ENTRY = String.raw`[A-Za-z0-9_.-]{1,16}@${AE_ADDRESS}(\|${AE_ADDRESS})*=[a-z0-9][a-z0-9-]{0,62}`;
const AE_MAP = new RegExp(`^$|^${AE_ENTRY}(,${AE_ENTRY})*$`);
const DEPARTMENTS = /^(\*|[A-Z0-9]{1,16})=[a-z0-9][a-z0-9-]{0,62}(,(\*|[A-Z0-9]{1,16})=[a-z0-9][a-z0-9-]{0,62})*$/;
const DEADLINES = /^(\*|[A-Z0-9]{1,16})=\d+\/\d+\/\d+(,(\*|[A-Z0-9]{1,16})=\d+\/\d+\/\d+)*$/;

/** Checks the whole text against `shape` (refusing with `message`), then parses it. */
function shaped<T>(shape: RegExp, message: string, parse: (raw: string) => T): (raw: string) => T {
  return (raw) => {
    if (!shape.test(raw)) throw new Error(message);
    return parse(raw);
  };
}

export const DEFAULT_READ_DEPARTMENTS = 'ECG=ecg-room,DX=radiology,CR=radiology,*=radiology';
export const DEFAULT_READ_DEADLINE_MINUTES = 'ECG=15/20/30,DX=30/60/120,CR=30/60/120,*=60/240/1440';

/**
 * Remote diagnosis's own settings — DICOM storage and limits, the DIMSE listener, reads, result
 * sharing — read from the process's environment by its module (appConfigProvider). The tables and
 * the AE map are parsed here, once: a malformed one stops the start naming the variable.
 */
export class RemoteDiagnosisConfig {
  /** Where DICOM instances are stored, once each, by content hash (with a tmp/ for uploads in flight). */
  @IsString()
  @MinLength(1)
  DICOM_STORAGE_DIR = '.data/dicom';

  /** Largest single instance (one multipart part) accepted by STOW-RS; beyond it the request is a 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  DICOM_MAX_INSTANCE_BYTES = 256 * 1024 * 1024;

  /** Largest STOW-RS request body, all parts together. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  DICOM_MAX_REQUEST_BYTES = 1024 * 1024 * 1024;

  /** How much of an instance may be parsed as header (all of it for objects without pixel data, e.g. an ECG). */
  @Transform(toInt)
  @IsInt()
  @Min(64 * 1024)
  DICOM_MAX_HEADER_BYTES = 64 * 1024 * 1024;

  /** Parts (instances) one STOW-RS request may carry; past it the request is a 413 before another part is staged. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DICOM_MAX_PARTS_PER_REQUEST = 1000;

  /** STOW-RS requests one principal may have in flight at once; more are a 429 (one client cannot fill the ingest). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DICOM_MAX_CONCURRENT_UPLOADS = 4;

  /** Largest frame (rows × columns × samples) accepted or decoded; a header claiming more is refused before any allocation. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  DICOM_MAX_FRAME_PIXELS = 40_000_000;

  /** Worker threads that parse, check and render DICOM off the event loop. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  DICOM_WORKER_THREADS = 2;

  /** Longest one parse or render may take in a worker; past it the worker is ended and the file refused. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  DICOM_WORKER_TIMEOUT_MS = 15_000;

  /** TCP port of the DICOM DIMSE listener (C-STORE, C-ECHO, worklist C-FIND) for modalities; 0 picks a free port. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  DICOM_DIMSE_PORT = 11112;

  /** CountyLink's own AE title: the called AE title modalities must address. */
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,16}$/, { message: 'DICOM_DIMSE_AE_TITLE must be 1–16 letters, digits, _ . or -' })
  DICOM_DIMSE_AE_TITLE = 'COUNTYLINK';

  /**
   * Which modality may associate, from where, for which institution:
   * `AE@address[|address…]=institution,…` (an address is an IP, a CIDR block or `*`). Empty: none may.
   */
  @ParsedSetting(
    shaped(
      AE_MAP,
      'DICOM_DIMSE_AE_MAP must look like TOWNSHIP_A_DR@10.1.0.0/16|127.0.0.1=township-a,TOWNSHIP_B_ECG@*=township-b',
      (raw) => new CallingAeMap(raw),
    ),
  )
  DICOM_DIMSE_AE_MAP = new CallingAeMap('');

  /** Associations open at once over all modalities; past it a connection is closed before it costs anything. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DICOM_DIMSE_MAX_ASSOCIATIONS = 64;

  /** The institution whose specialists read township studies (the lead hospital of the group). */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  READ_INSTITUTION_ID = 'county-hospital';

  /** Reading department by modality (`*` for the rest); a read order may name another. */
  @ParsedSetting(
    shaped(DEPARTMENTS, 'READ_DEPARTMENTS must look like ECG=ecg-room,DX=radiology,*=radiology', parseDepartmentTable),
  )
  READ_DEPARTMENTS: Record<string, string> = parseDepartmentTable(DEFAULT_READ_DEPARTMENTS);

  /** Minutes to report a read, by modality (`*` for the rest): emergency/urgent/routine. */
  @ParsedSetting(
    shaped(
      DEADLINES,
      'READ_DEADLINE_MINUTES must look like ECG=15/20/30,DX=30/60/120,*=60/240/1440 (emergency/urgent/routine)',
      parseDeadlineTable,
    ),
  )
  READ_DEADLINE_MINUTES: DeadlineTable = parseDeadlineTable(DEFAULT_READ_DEADLINE_MINUTES);

  /** Minutes a specialist's claim on a read lasts without a report before it returns to the worklist. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  READ_CLAIM_MINUTES = 30;

  /** 结果互认: days a completed referral still shares the sender's results of the patient with the receiver. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  REFERRAL_SHARE_DAYS_AFTER_COMPLETION = 30;

  /** Report templates (报告模板) a group without any starts with; the embedded default uses the demo file. */
  @IsOptional()
  @IsString()
  REPORT_TEMPLATE_SEED_FILE?: string;
}
