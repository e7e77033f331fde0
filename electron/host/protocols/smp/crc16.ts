// The SMP serial transport's packet CRC is CRC-16/XMODEM.
export { crc16Xmodem } from '../../checksums/crc16-xmodem';
