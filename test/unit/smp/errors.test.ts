import { extractSmpError, describeGroupErr, describeMgmtErr, SmpDeviceError, maxDataThatFits, encodeMessage, SmpOp, maxPacketForBuffer, decodeMessage } from '../../../electron/host/protocols/smp';
import { hex } from './fixtures';

describe('SMP error decoding', () => {
  it('names v1 rc values with their meaning', () => {
    expect(extractSmpError({ rc: 8 })).toMatchObject({ kind: 'smp', name: 'MGMT_ERR_ENOTSUP' });
    expect(extractSmpError({ rc: 6, rsn: 'slot busy' })).toMatchObject({ name: 'MGMT_ERR_EBADSTATE', reason: 'slot busy' });
    expect(describeMgmtErr(13).name).toBe('MGMT_ERR_UNSUPPORTED_TOO_NEW');
    expect(describeMgmtErr(257).name).toBe('MGMT_ERR_EPERUSER+1');
    expect(describeMgmtErr(99).name).toBe('MGMT_ERR_UNKNOWN_CODE_99');
  });
  it('names v2 group errors per group', () => {
    expect(describeGroupErr(1, 9).name).toBe('IMG_MGMT_ERR_NO_FREE_SLOT');
    expect(describeGroupErr(1, 34).name).toBe('IMG_MGMT_ERR_ACTIVE_SLOT_NOT_KNOWN');
    expect(describeGroupErr(0, 3).name).toBe('OS_MGMT_ERR_QUERY_YIELDS_NO_ANSWER');
    expect(describeGroupErr(2, 2).name).toBe('STAT_MGMT_ERR_INVALID_GROUP');
    expect(describeGroupErr(3, 3).name).toBe('SETTINGS_MGMT_ERR_KEY_NOT_FOUND');
    expect(describeGroupErr(3, 8).name).toBe('SETTINGS_MGMT_ERR_SAVE_NOT_SUPPORTED');
    expect(describeGroupErr(8, 16).name).toBe('FS_MGMT_ERR_FILE_EMPTY');
    expect(describeGroupErr(9, 3).name).toBe('SHELL_MGMT_ERR_EMPTY_COMMAND');
    expect(describeGroupErr(64, 2)).toMatchObject({ groupName: 'user group 64', name: 'USER_GROUP_64_ERR_2' });
  });
  it('finds a v2 error in a decoded response and ignores rc 0', () => {
    // {"err": {"group": 1, "rc": 9}}, built by hand.
    const body = decodeMessage(hex('0b00001100010301a163657272a26567726f757001627263' + '09')).body;
    expect(extractSmpError(body)).toMatchObject({ kind: 'group', group: 1, groupName: 'image', rc: 9, name: 'IMG_MGMT_ERR_NO_FREE_SLOT' });
    expect(extractSmpError({ rc: 0 })).toBeNull();
    expect(extractSmpError({ err: { group: 1, rc: 0 } })).toBeNull();
    expect(extractSmpError({ off: 5 })).toBeNull();
  });
  it('becomes a HostError with a plain message, a stable code and the name', () => {
    const e = new SmpDeviceError(extractSmpError({ err: { group: 1, rc: 9 } })!, 'the image upload');
    expect(e.code).toBe('device-error');
    expect(e.message).toBe('The device refused the image upload: there is no free slot for the image (IMG_MGMT_ERR_NO_FREE_SLOT).');
    expect(e.detail).toBe('group 1 (image) rc 9 = IMG_MGMT_ERR_NO_FREE_SLOT');
    expect(new SmpDeviceError(extractSmpError({ rc: 8 })!, 'x').code).toBe('not-supported');
    expect(new SmpDeviceError(extractSmpError({ rc: 10 })!, 'x').code).toBe('device-busy');
  });
});

describe('chunk budget', () => {
  const fits = (fields: Record<string, unknown>, n: number) => encodeMessage({ version: 2, op: SmpOp.Write, group: 1, id: 1, seq: 0, body: { ...fields, data: new Uint8Array(n) } }).length;
  it.each([64, 100, 128, 256, 259, 260, 261, 384, 512, 1024, 2048, 4096, 65535])('fills a %i-byte buffer exactly or as close as CBOR allows', (bufSize) => {
    const maxPacket = maxPacketForBuffer(bufSize);
    for (const fields of [{ off: 0, len: 200_000, sha: new Uint8Array(32) }, { off: 1234 }, { off: 70_000 }, { name: '/lfs/a.txt', off: 9 }]) {
      const n = maxDataThatFits(fields, maxPacket);
      if (n === 0) expect(fits(fields, 1)).toBeGreaterThan(maxPacket);
      else expect(fits(fields, n)).toBeLessThanOrEqual(maxPacket);
      expect(fits(fields, n + 1)).toBeGreaterThan(maxPacket);
    }
  });
  it('reserves the serial length and CRC bytes inside the device buffer', () => {
    expect(maxPacketForBuffer(384)).toBe(380);
  });
});
