import type { Request } from 'express';
import { accessContext } from './access-context';

describe('accessContext', () => {
  const req = (id?: unknown) => ({ id }) as unknown as Request;

  it("keeps the caller's reason, cut to 200 characters, with the request id as text", () => {
    expect(accessContext(req(42), '复查转诊', 'care')).toEqual({ reason: '复查转诊', requestId: '42' });
    expect(accessContext(req('r-1'), 'x'.repeat(300), 'care').reason).toHaveLength(200);
  });

  it("falls back to the route's purpose without a reason or with an empty one", () => {
    expect(accessContext(req('r-1'), undefined, 'worklist')).toEqual({ reason: 'worklist', requestId: 'r-1' });
    expect(accessContext(req('r-1'), '', 'fhir').reason).toBe('fhir');
  });

  it('leaves the request id out when the request has none', () => {
    expect(accessContext(req(), 'care', 'care')).toEqual({ reason: 'care', requestId: undefined });
  });
});
