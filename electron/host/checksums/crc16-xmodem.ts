// CRC-16/XMODEM (poly 0x1021, init 0, not reflected, no xor-out): XMODEM's CRC
// mode and the crc16_itu_t(0, ...) Zephyr's SMP serial transport appends.
// Check value for "123456789" is 0x31C3.
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16Xmodem(data: Uint8Array, seed = 0): number {
  let crc = seed & 0xffff;
  for (let i = 0; i < data.length; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ data[i]) & 0xff];
  return crc;
}
