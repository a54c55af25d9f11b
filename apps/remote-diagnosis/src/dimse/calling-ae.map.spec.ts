import { CallingAeMap, InvalidAeMapError } from './calling-ae.map';

describe('CallingAeMap (DICOM_DIMSE_AE_MAP)', () => {
  const map = new CallingAeMap(
    'TOWNSHIP_A_DR@127.0.0.1|10.1.0.0/16=township-a,TOWNSHIP_B_ECG@*=township-b,V6@fd00::/8=township-c',
  );

  it('maps a known AE title calling from an allowed address (plain, IPv4-mapped, in a block) to its institution', () => {
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '10.1.200.3']) {
      expect(map.decide('TOWNSHIP_A_DR', address)).toMatchObject({ ok: true, ae: { institutionId: 'township-a' } });
    }
    expect(map.decide('TOWNSHIP_A_DR  ', '127.0.0.1').ok).toBe(true); // AE titles arrive space-padded
    expect(map.decide('TOWNSHIP_B_ECG', '192.0.2.7')).toMatchObject({ ok: true, ae: { institutionId: 'township-b' } });
    expect(map.decide('V6', 'fd12::1').ok).toBe(true);
  });

  it('refuses an unknown AE title and a known one from anywhere else', () => {
    expect(map.decide('TOWNSHIP_C_DR', '127.0.0.1')).toMatchObject({ ok: false, why: 'unknown-ae' });
    expect(map.decide('township_a_dr', '127.0.0.1')).toMatchObject({ ok: false, why: 'unknown-ae' });
    expect(map.decide('TOWNSHIP_A_DR', '10.2.0.1')).toMatchObject({ ok: false, why: 'address-not-allowed' });
    expect(map.decide('TOWNSHIP_A_DR', undefined)).toMatchObject({ ok: false, why: 'address-not-allowed' });
  });

  it('stops the start on a malformed map, naming the variable', () => {
    for (const bad of [
      'NOADDRESS=township-a',
      'A@300.1.1.1=township-a',
      'A@10.0.0.0/33=township-a',
      'A@1.2.3.4=x,A@1.2.3.5=y',
      'A@host.example=township-a',
    ]) {
      expect(() => new CallingAeMap(bad)).toThrow(InvalidAeMapError);
      expect(() => new CallingAeMap(bad)).toThrow(/DICOM_DIMSE_AE_MAP/);
    }
    expect(new CallingAeMap('').size).toBe(0);
  });
});
