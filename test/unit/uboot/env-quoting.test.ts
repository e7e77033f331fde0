import { checkEnvName, deleteEnvCommand, quoteForHush, setenvCommand } from '../../../electron/host/protocols/uboot';

describe('hush quoting for setenv', () => {
  it('wraps in single quotes, doubles backslashes, and splices single quotes', () => {
    expect(quoteForHush('a b; c ${x} $y')).toBe("'a b; c ${x} $y'");
    expect(quoteForHush("it's")).toBe("'it'\\''s'");
    expect(quoteForHush('C:\\dir\\')).toBe("'C:\\\\dir\\\\'");
    expect(quoteForHush("'")).toBe("''\\'''");
  });
  it('builds setenv and delete commands', () => {
    expect(setenvCommand('bootargs', 'console=ttyAMA0 root=/dev/vda2')).toBe("setenv bootargs 'console=ttyAMA0 root=/dev/vda2'");
    expect(setenvCommand('serial#', '12')).toBe("setenv serial# '12'");
    expect(deleteEnvCommand('foo')).toBe('setenv foo');
  });
  it('refuses names hush would interpret or U-Boot cannot store', () => {
    for (const bad of ['', 'a b', 'a=b', '#x', 'a;b', '$x', "a'b", 'a\nb'])
      expect(() => checkEnvName(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'invalid-params' }));
  });
  it('refuses values that cannot be typed on the console', () => {
    expect(() => setenvCommand('x', 'a\nb')).toThrow(/cannot be typed/);
    expect(() => setenvCommand('x', 'a\tb')).toThrow(/code 9 at position 1/);
    expect(() => setenvCommand('x', 'caf\u00e9')).toThrow(expect.objectContaining({ code: 'invalid-params' }));
    expect(() => setenvCommand('x', '')).toThrow(/empty value/);
  });
});
