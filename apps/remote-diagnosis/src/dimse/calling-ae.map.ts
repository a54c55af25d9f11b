import { BlockList, isIP } from 'node:net';

/** One modality (calling AE title) the group knows, the addresses it may call from, and its institution. */
export interface CallingAe {
  aeTitle: string;
  institutionId: string;
  /** As configured, for messages: `*`, IPs, CIDR blocks. */
  addresses: string[];
}

export type AeDecision =
  { ok: true; ae: CallingAe } | { ok: false; why: 'unknown-ae' | 'address-not-allowed'; message: string };

export class InvalidAeMapError extends Error {}

interface Entry {
  ae: CallingAe;
  anyAddress: boolean;
  allowed: BlockList;
}

/**
 * DICOM_DIMSE_AE_MAP, parsed: `AE@address[|address…]=institution,…`. The AE title says which
 * institution a modality stands for, so it is trusted only from the addresses listed with it —
 * an AE title is a name anyone can type, the source address at least takes a network to forge.
 */
export class CallingAeMap {
  private readonly entries = new Map<string, Entry>();

  constructor(spec: string) {
    for (const item of spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = /^([^@=]{1,16})@([^=]+)=([a-z0-9][a-z0-9-]{0,62})$/.exec(item);
      if (!m) throw new InvalidAeMapError(`DICOM_DIMSE_AE_MAP: "${item}" is not AE@address[|address…]=institution`);
      const [, aeTitle, addressList, institutionId] = m;
      if (this.entries.has(aeTitle)) throw new InvalidAeMapError(`DICOM_DIMSE_AE_MAP: ${aeTitle} is listed twice`);
      const addresses = addressList.split('|');
      const allowed = new BlockList();
      let anyAddress = false;
      for (const address of addresses) {
        if (address === '*') anyAddress = true;
        else addAddress(allowed, address, aeTitle);
      }
      this.entries.set(aeTitle, { ae: { aeTitle, institutionId, addresses }, anyAddress, allowed });
    }
  }

  get size(): number {
    return this.entries.size;
  }

  list(): CallingAe[] {
    return [...this.entries.values()].map((e) => e.ae);
  }

  /** Whether `aeTitle` (as sent, padded or not) calling from `remoteAddress` may associate. */
  decide(aeTitle: string, remoteAddress: string | undefined): AeDecision {
    const title = aeTitle.trim();
    const entry = this.entries.get(title);
    if (!entry)
      return { ok: false, why: 'unknown-ae', message: `calling AE title "${title}" is not in DICOM_DIMSE_AE_MAP` };
    if (entry.anyAddress) return { ok: true, ae: entry.ae };
    const address = unmapped(remoteAddress ?? '');
    const family = isIP(address);
    if (family === 0 || !entry.allowed.check(address, family === 4 ? 'ipv4' : 'ipv6')) {
      return {
        ok: false,
        why: 'address-not-allowed',
        message: `${title} may not call from ${address || 'an unknown address'} (allowed: ${entry.ae.addresses.join(', ')})`,
      };
    }
    return { ok: true, ae: entry.ae };
  }
}

function addAddress(list: BlockList, address: string, aeTitle: string): void {
  const [ip, prefix, extra] = address.split('/');
  const family = isIP(ip);
  if (family === 0 || extra !== undefined)
    throw new InvalidAeMapError(`DICOM_DIMSE_AE_MAP: ${aeTitle}: "${address}" is not an IP address or CIDR block`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) return list.addAddress(ip, type);
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128))
    throw new InvalidAeMapError(`DICOM_DIMSE_AE_MAP: ${aeTitle}: "${address}" has a bad prefix length`);
  list.addSubnet(ip, bits, type);
}

/** A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; the map speaks plain IPv4. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}
