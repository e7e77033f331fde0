// Every LAYOUT_CHECKS entry in the repo, compiled against Debian sid's
// linux-libc-dev: one test per C expression, so a mismatch names it.
// Needs the headers once (downloaded and cached); offline afterwards. When they
// cannot be fetched, the suite FAILS with the reason (it never skips).
import { collectLayoutChecks, runLayoutConformance, uapiIncludeDir, validateChecks, type CheckResult } from '../../conformance/layout-conformance';

let includeDir = '';
let results: CheckResult[] = [];
let setupError: Error | undefined;
try {
  includeDir = await uapiIncludeDir();
  results = await runLayoutConformance(await collectLayoutChecks(), includeDir);
} catch (err) {
  setupError = err as Error;
}

describe('uAPI layout conformance', () => {
  it('has the uAPI headers and a check table', () => {
    if (setupError) throw setupError;
    expect(results.length).toBeGreaterThan(20);
    expect(results.some((r) => r.source === 'native/uapi.ts')).toBe(true);
  });

  for (const r of results) {
    it(`${r.source}: ${r.c} == ${r.value}`, () => {
      if (r.compileError) throw new Error(`"${r.c}" does not compile against ${includeDir}: ${r.compileError}`);
      expect(r.actual, r.c).toBe(r.value);
    });
  }

  it('catches a wrong value and an expression the headers do not define', async () => {
    if (setupError) throw setupError;
    const probe = await runLayoutConformance(
      [
        { source: 'probe', c: 'sizeof(struct fwctl_rpc)', value: 31 },
        { source: 'probe', c: 'offsetof(struct fwctl_rpc, no_such_field)', value: 0 },
        { source: 'probe', c: 'FWCTL_NO_SUCH_CONSTANT', value: 1 },
        { source: 'probe', c: 'FWCTL_RPC', value: 0x9a01 },
      ],
      includeDir,
    );
    expect(probe[0].actual).toBe(32);
    expect(probe[1].compileError).toMatch(/no_such_field/);
    expect(probe[2].compileError).toMatch(/FWCTL_NO_SUCH_CONSTANT/);
    expect(probe[3].actual).toBe(0x9a01);
  });
});

describe('LAYOUT_CHECKS validation', () => {
  it('refuses a file without a LAYOUT_CHECKS array', () => {
    expect(() => validateChecks('x/layout.ts', undefined)).toThrow('x/layout.ts does not export a LAYOUT_CHECKS array');
  });
  it('refuses entries of the wrong shape, naming the entry', () => {
    expect(() => validateChecks('x/layout.ts', [{ c: 'FWCTL_RPC', value: 1 }, { c: 'FWCTL_INFO' }])).toThrow(/x\/layout.ts: LAYOUT_CHECKS\[1\] must be/);
    expect(() => validateChecks('x', [{ c: '', value: 1 }])).toThrow(/LAYOUT_CHECKS\[0\]/);
    expect(() => validateChecks('x', [{ c: 'A', value: Number.NaN }])).toThrow(/LAYOUT_CHECKS\[0\]/);
  });
  it('refuses anything that is not a single C expression', () => {
    for (const c of ['1); system("x"', 'a; b', '1 /* x */', '1 // x', '{ 1 }', '#define X 1', '1\n2']) {
      expect(() => validateChecks('x', [{ c, value: 1 }]), c).toThrow(/not a single C expression/);
    }
  });
});
