// Published SMP packets, byte for byte. Source: JPHutchins/smp (the `smp`
// Python package used by intercreate/smpclient), tests/binary_regressions/records/*.json.
export const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

export const PUBLISHED = {
  /** os_management.EchoWriteRequest, seq 139, {"d": "Hello world!"} (SMP v2). */
  echoRequest: hex('0a00001000008b00a161646c48656c6c6f20776f726c6421'),
  /** os_management.MCUMgrParametersReadResponse, seq 152, {buf_size: 1, buf_count: 2}. */
  paramsResponse: hex('0900001600009806a2686275665f73697a6501696275665f636f756e7402'),
  /** os_management.ResetWriteRequest, seq 141, {}. */
  resetRequest: hex('0a00000100008d05a0'),
  /** image_management.ImageUploadWriteResponse, seq 26, {off: 0, match: true}. */
  uploadResponseMatch: hex('0b00000d00011a01a2636f666600656d61746368f5'),
  /** image_management.ImageUploadWriteResponse, seq 24, {off: 4294967295}. */
  uploadResponseMaxOff: hex('0b00000a00011801a1636f66661affffffff'),
  /** settings_management.WriteSettingRequest, seq 56, {name: "example", val: b"example"}. */
  settingsWriteRequest: hex('0a00001a00033800a26376616c476578616d706c65646e616d65676578616d706c65'),
  /** statistics_management.GroupDataResponse, seq 69, {name: "example", fields: {field1: 1, field2: 2}}. */
  statsResponse: hex('0900002600024500a2646e616d65676578616d706c65666669656c6473a2666669656c643101666669656c643202'),
};

// Serial frames computed independently with Python (binascii.crc_hqx(pkt, 0) =
// CRC-16/XMODEM, base64.b64encode, 124 characters per line).
export const SERIAL = {
  echoRequestLine: '\x06\x09ABoKAAAQAACLAKFhZGxIZWxsbyB3b3JsZCGqEQ==\n',
  echoRequestCrc: 0xaa11,
  /** settings write {val: bytes 0..149, name: "example"}, seq 7: 178-byte packet, CRC 0xAF7B, two lines. */
  twoLine: [
    '\x06\x09ALQKAACqAAMHAKJjdmFsWJYAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkdISUpL\n',
    '\x04\x14TE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaHiImKi4yNjo+QkZKTlJVkbmFtZWdleGFtcGxlr3s=\n',
  ],
};

export const latin1 = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
export const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
